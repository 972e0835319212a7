//! The in-transaction event hook: a context publishes what just happened inside its write
//! transaction; the subscribers registered once at start-up (`App::build`) run in the same
//! transaction, in registration order, and an error from any of them rolls the whole
//! transaction back. The publisher names only its event type, never its subscribers; heavy
//! reactions enqueue a job (in the same transaction) instead of doing the work inline.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use brokercrm_core::Result;
use brokercrm_store::DatabaseTransaction;

/// A subscriber's work: a future borrowing the transaction and the event.
pub type Reaction<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Something that happened, published by the context that owns it (its type lives there).
pub trait Event: Any + Send + Sync {}

/// A subscriber to events of type `E`.
pub type Subscriber<E> = for<'a> fn(&'a DatabaseTransaction, &'a E) -> Reaction<'a>;

type Erased = Box<
    dyn for<'a> Fn(&'a DatabaseTransaction, &'a (dyn Any + Send + Sync)) -> Reaction<'a>
        + Send
        + Sync,
>;

/// The subscribers of every event type, built once at start-up.
#[derive(Default)]
pub struct Events {
    subscribers: HashMap<TypeId, Vec<Erased>>,
}

impl Events {
    /// Adds `subscriber` to the reactions to `E`, after those already registered.
    #[must_use]
    pub fn subscribe<E: Event>(mut self, subscriber: Subscriber<E>) -> Self {
        let erased: Erased = Box::new(move |tx, event| match event.downcast_ref::<E>() {
            Some(event) => subscriber(tx, event),
            None => Box::pin(async { Ok(()) }),
        });
        self.subscribers.entry(TypeId::of::<E>()).or_default().push(erased);
        self
    }

    /// Runs every subscriber of `E` in `tx`, in order; the first error stops and is returned
    /// (the caller's transaction then rolls back).
    pub async fn publish<E: Event>(&self, tx: &DatabaseTransaction, event: &E) -> Result<()> {
        for subscriber in self.subscribers.get(&TypeId::of::<E>()).into_iter().flatten() {
            subscriber(tx, event).await?;
        }
        Ok(())
    }

    /// How many subscribers `E` has.
    pub fn subscribers<E: Event>(&self) -> usize {
        self.subscribers.get(&TypeId::of::<E>()).map_or(0, Vec::len)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Mutex;

    use brokercrm_core::Error;
    use brokercrm_store::Db;

    use super::*;

    struct Ping(&'static str);
    impl Event for Ping {}
    struct Other;
    impl Event for Other {}

    static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn note(what: String) -> Reaction<'static> {
        RAN.lock().unwrap().push(what);
        Box::pin(async { Ok(()) })
    }
    fn first<'a>(_: &'a DatabaseTransaction, e: &'a Ping) -> Reaction<'a> {
        note(format!("first {}", e.0))
    }
    fn second<'a>(_: &'a DatabaseTransaction, e: &'a Ping) -> Reaction<'a> {
        note(format!("second {}", e.0))
    }
    fn refuse<'a>(_: &'a DatabaseTransaction, e: &'a Ping) -> Reaction<'a> {
        let refused = e.0 == "refused";
        Box::pin(
            async move { if refused { Err(Error::Conflict("refused".into())) } else { Ok(()) } },
        )
    }
    fn other<'a>(_: &'a DatabaseTransaction, _: &'a Other) -> Reaction<'a> {
        note("other".into())
    }

    #[tokio::test]
    async fn subscribers_run_in_order_and_the_first_error_stops_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("events.db").display());
        let db = Db::connect(&url).await.unwrap();
        let events =
            Events::default().subscribe(first).subscribe(refuse).subscribe(second).subscribe(other);
        assert_eq!((events.subscribers::<Ping>(), events.subscribers::<Other>()), (3, 1));
        let tx = db.begin_write().await.unwrap();
        events.publish(&tx, &Ping("a")).await.unwrap();
        let err = events.publish(&tx, &Ping("refused")).await.unwrap_err();
        assert!(matches!(err, Error::Conflict(_)), "{err:?}");
        let ran = std::mem::take(&mut *RAN.lock().unwrap());
        assert_eq!(ran, ["first a", "second a", "first refused"]);
        assert_eq!(Events::default().subscribers::<Ping>(), 0);
    }
}
