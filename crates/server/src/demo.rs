//! `brokercrm demo`: loads the demo data set and writes the credentials a newcomer needs.

use std::path::Path;

use anyhow::Context;

use crate::config::Config;
use crate::runtime;

pub async fn run(cfg: Config, out: &Path) -> anyhow::Result<()> {
    let app = runtime::open(&cfg).await?;
    let creds = brokercrm_app::demo::load(&app, &cfg.public_url)
        .await
        .map_err(|e| anyhow::anyhow!(e.public_message()))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, serde_json::to_vec_pretty(&creds)?)
        .with_context(|| format!("writing {}", out.display()))?;
    println!("demo data loaded; credentials written to {}", out.display());
    Ok(())
}
