//! "Trial tracking": stores whatever the application reports about a trial user.

use brokercrm_core::Result;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::trials;
pub use brokercrm_store::repo::market_data::trials::NewTrial;

use crate::App;

/// Trims each field to its column's length; empty strings are absent.
fn clip(v: Option<String>, max: usize) -> Option<String> {
    v.map(|s| s.trim().chars().take(max).collect::<String>()).filter(|s| !s.is_empty())
}

pub async fn track(app: &App, application: &ApplicationRow, t: NewTrial) -> Result<()> {
    let t = NewTrial {
        mac_address: clip(t.mac_address, 64),
        email: clip(t.email, 254).map(|e| e.to_lowercase()),
        first_name: clip(t.first_name, 100),
        last_name: clip(t.last_name, 100),
        phone: clip(t.phone, 40),
    };
    trials::insert(app.db().conn(), application.id, t, app.clock().now()).await
}
