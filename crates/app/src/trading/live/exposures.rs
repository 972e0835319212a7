//! The staff stream of risk exposures (`GET /api/risk/stream`): the body of the Risk
//! exposures operation, formed once on connecting, then again every [`PERIOD`] and soon
//! after a position changes in this process (at most every [`MIN_GAP`]), and sent only when
//! it differs from the last one sent.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::{Error, Result};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::trading::events::TradeChanged;
use crate::trading::risk::RiskQuery;
use crate::trading::risk::exposures::{RiskExposures, exposures};
use crate::{App, Principal};

/// How often the exposures are formed again (prices move them without any trade).
pub const PERIOD: Duration = Duration::from_secs(1);

/// The least time between two formings woken by trades (a busy book is not recomputed per
/// trade).
pub const MIN_GAP: Duration = Duration::from_millis(200);

/// One staff connection's feed.
pub struct ExposureFeed {
    app: App,
    actor: Principal,
    query: RiskQuery,
    changes: Receiver<Arc<TradeChanged>>,
    /// The body last sent, serialised, and the first body not yet sent.
    last: Option<String>,
    first: Option<RiskExposures>,
}

impl ExposureFeed {
    /// Checks `actor` (ReadPositions, its customer scope) and the query (an unknown group is
    /// 422) by forming the exposures once: they are the first thing [`ExposureFeed::next`]
    /// returns.
    pub async fn open(app: &App, actor: &Principal, q: RiskQuery) -> Result<Self> {
        let changes = app.bus().subscribe::<TradeChanged>();
        let first = exposures(app, actor, q.clone()).await?;
        Ok(Self {
            app: app.clone(),
            actor: actor.clone(),
            query: q,
            changes,
            last: None,
            first: Some(first),
        })
    }

    /// Waits for exposures different from the last ones returned.
    pub async fn next(&mut self) -> Result<RiskExposures> {
        if let Some(first) = self.first.take() {
            self.last = Some(serde_json::to_string(&first).map_err(Error::internal)?);
            return Ok(first);
        }
        loop {
            tokio::select! {
                () = tokio::time::sleep(PERIOD) => {}
                c = self.changes.recv() => {
                    if let Err(RecvError::Closed) = c {
                        return Err(Error::internal("the change channel closed"));
                    }
                    // A burst of trades is one recomputation, at most every MIN_GAP.
                    tokio::time::sleep(MIN_GAP).await;
                    while !matches!(
                        self.changes.try_recv(),
                        Err(TryRecvError::Empty | TryRecvError::Closed)
                    ) {}
                }
            }
            let now = exposures(&self.app, &self.actor, self.query.clone()).await?;
            let text = serde_json::to_string(&now).map_err(Error::internal)?;
            if self.last.as_deref() != Some(text.as_str()) {
                self.last = Some(text);
                return Ok(now);
            }
        }
    }
}
