//! The VAPID key pair: generated once (first writer wins among instances), the private key
//! stored in settings sealed with the data key; "Get VAPID public key".

use brokercrm_core::Result;
use brokercrm_integrations::webpush::VapidKey;
use brokercrm_store::db;
use brokercrm_store::repo::platform::settings;

use crate::{App, Principal};

/// Settings key of the sealed private key (also the seal's AAD).
const VAPID_PRIVATE_KEY: &str = "messaging.push.vapid_private_key";

/// The key pair, generated and stored on first use (`serve` calls it at start).
pub async fn ensure(app: &App) -> Result<VapidKey> {
    if let Some(row) = settings::get(app.db().conn(), VAPID_PRIVATE_KEY).await? {
        return open(app, &row.value);
    }
    let fresh = VapidKey::generate();
    let sealed = app.data_key().seal(VAPID_PRIVATE_KEY.as_bytes(), &fresh.private_bytes())?;
    let tx = app.db().begin_write().await?;
    let stored = settings::put_if_absent(&tx, VAPID_PRIVATE_KEY, &sealed, true).await?;
    db::commit(tx).await?;
    open(app, &stored)
}

fn open(app: &App, sealed: &str) -> Result<VapidKey> {
    let raw = app.data_key().open(VAPID_PRIVATE_KEY.as_bytes(), sealed)?;
    VapidKey::from_private_bytes(&raw)
}

/// "Get VAPID public key": any signed-in user (a browser needs it to subscribe).
pub async fn public_key(app: &App, _who: &Principal) -> Result<String> {
    Ok(ensure(app).await?.public_key())
}

/// The VAPID `sub` claim: the deployment's public URL when it is https, else a `mailto:`.
pub fn contact(app: &App) -> String {
    let url = app.cfg().public_url.trim_end_matches('/');
    if url.starts_with("https://") {
        url.to_owned()
    } else {
        "mailto:push@brokercrm.invalid".to_owned()
    }
}
