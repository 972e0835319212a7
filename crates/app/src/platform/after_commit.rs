//! After commit: what a use case announces to in-process listeners (live streams) once the
//! transaction that made it has committed. The in-transaction hook (`platform::events`) runs
//! reactions that must commit or roll back with the write; a listener outside the database
//! (a WebSocket) must never see a change that then rolls back, so the use case collects its
//! notices beside its transaction in a [`Pending`] and [`Pending::commit`] sends them only
//! after the commit succeeded. Dropped (an error, a rollback) a `Pending` sends nothing.
//!
//! The [`Bus`] is one broadcast channel per notice type, in this process only: a notice
//! reaches the listeners of the instance that committed it, never another instance's.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use brokercrm_core::Result;
use brokercrm_store::{DatabaseTransaction, db};
use tokio::sync::broadcast;

/// Something committed that in-process listeners may want to hear of (its type lives in the
/// context that sends it).
pub trait Notice: Any + Send + Sync {}

/// How many notices of one type a listener may fall behind before it misses some (it is
/// told: `broadcast::error::RecvError::Lagged`).
pub const CAPACITY: usize = 1024;

/// The in-process channels, one per notice type, made on first use.
#[derive(Default)]
pub struct Bus {
    channels: Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
}

impl Bus {
    fn sender<N: Notice>(&self) -> broadcast::Sender<Arc<N>> {
        let mut map = self.channels.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = map
            .entry(TypeId::of::<N>())
            .or_insert_with(|| Box::new(broadcast::channel::<Arc<N>>(CAPACITY).0));
        match entry.downcast_ref::<broadcast::Sender<Arc<N>>>() {
            Some(s) => s.clone(),
            // Unreachable: the entry of `N` is always a sender of `N`.
            None => broadcast::channel(1).0,
        }
    }

    /// A listener to every `N` sent from now on.
    pub fn subscribe<N: Notice>(&self) -> broadcast::Receiver<Arc<N>> {
        self.sender::<N>().subscribe()
    }

    /// Sends `notice` now, to the listeners there are (none: it is dropped). Only for what
    /// is already durable; a use case with a transaction goes through [`Pending`].
    pub fn send<N: Notice>(&self, notice: N) {
        let _ = self.sender::<N>().send(Arc::new(notice));
    }

    /// How many listeners `N` has now.
    pub fn listeners<N: Notice>(&self) -> usize {
        self.sender::<N>().receiver_count()
    }

    /// An empty collection of notices for one transaction.
    pub fn pending(&self) -> Pending<'_> {
        Pending { bus: self, sends: Vec::new() }
    }
}

type Deliver = Box<dyn FnOnce(&Bus) + Send>;

/// The notices of one transaction, sent when it commits.
#[must_use = "notices are sent only by `commit`"]
pub struct Pending<'a> {
    bus: &'a Bus,
    sends: Vec<Deliver>,
}

impl Pending<'_> {
    /// Adds `notice`, to be sent after the commit.
    pub fn push<N: Notice>(&mut self, notice: N) {
        self.sends.push(Box::new(move |bus: &Bus| bus.send(notice)));
    }

    /// How many notices wait.
    pub fn len(&self) -> usize {
        self.sends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sends.is_empty()
    }

    /// Commits `tx`, then sends the notices in the order they were pushed; when the commit
    /// fails nothing is sent.
    pub async fn commit(self, tx: DatabaseTransaction) -> Result<()> {
        db::commit(tx).await?;
        for send in self.sends {
            send(self.bus);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use brokercrm_store::Db;

    use super::*;

    #[derive(Debug, PartialEq)]
    struct Saved(u32);
    impl Notice for Saved {}

    #[tokio::test]
    async fn notices_go_out_after_the_commit_and_never_after_a_rollback() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("after.db").display());
        let db = Db::connect(&url).await.unwrap();
        let bus = Bus::default();
        let mut rx = bus.subscribe::<Saved>();
        assert_eq!(bus.listeners::<Saved>(), 1);

        let tx = db.begin_write().await.unwrap();
        let mut p = bus.pending();
        p.push(Saved(1));
        p.push(Saved(2));
        assert_eq!(p.len(), 2);
        assert!(rx.try_recv().is_err(), "nothing before the commit");
        p.commit(tx).await.unwrap();
        assert_eq!(*rx.try_recv().unwrap(), Saved(1));
        assert_eq!(*rx.try_recv().unwrap(), Saved(2));

        let tx = db.begin_write().await.unwrap();
        let mut p = bus.pending();
        p.push(Saved(3));
        drop((p, tx));
        assert!(rx.try_recv().is_err(), "a dropped transaction announces nothing");
    }
}
