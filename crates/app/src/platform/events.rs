//! The in-transaction event hook: a context publishes what just happened inside its write
//! transaction; the subscribers registered once at start-up (`App::build`) run in the same
//! transaction, in registration order, and an error from any of them rolls the whole
//! transaction back. The publisher names only its event type, never its subscribers; heavy
//! reactions enqueue a job (in the same transaction) instead of doing the work inline.
//!
//! A batch writer (a group-commit lane) publishes the events of its whole batch at once
//! ([`Events::publish_all`]): a subscriber registered with [`Events::subscribe_many`] sees them
//! in one call and reads what it needs once per batch instead of once per event; one
//! registered with [`Events::subscribe`] is called once per event.

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

/// A subscriber to events of type `E`, one event at a time.
pub type Subscriber<E> = for<'a> fn(&'a DatabaseTransaction, &'a E) -> Reaction<'a>;

/// A subscriber to events of type `E` that takes a batch of them at once (never empty).
pub type ManySubscriber<E> = for<'a> fn(&'a DatabaseTransaction, &'a [E]) -> Reaction<'a>;

/// One registration, in either form.
enum Sub<E: 'static> {
    One(Subscriber<E>),
    Many(ManySubscriber<E>),
}

/// The subscribers of every event type, built once at start-up. Each entry is the
/// `Vec<Sub<E>>` of its event type `E`.
#[derive(Default)]
pub struct Events {
    subscribers: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl Events {
    fn add<E: Event>(mut self, sub: Sub<E>) -> Self {
        let entry = self
            .subscribers
            .entry(TypeId::of::<E>())
            .or_insert_with(|| Box::new(Vec::<Sub<E>>::new()));
        if let Some(subs) = entry.downcast_mut::<Vec<Sub<E>>>() {
            subs.push(sub);
        }
        self
    }

    fn of<E: Event>(&self) -> &[Sub<E>] {
        self.subscribers
            .get(&TypeId::of::<E>())
            .and_then(|s| s.downcast_ref::<Vec<Sub<E>>>())
            .map_or(&[], Vec::as_slice)
    }

    /// Adds `subscriber` to the reactions to `E`, after those already registered.
    #[must_use]
    pub fn subscribe<E: Event>(self, subscriber: Subscriber<E>) -> Self {
        self.add(Sub::One(subscriber))
    }

    /// Adds `subscriber`, which takes every event of a batch in one call, to the reactions to
    /// `E`, after those already registered. A lone event comes as a batch of one.
    #[must_use]
    pub fn subscribe_many<E: Event>(self, subscriber: ManySubscriber<E>) -> Self {
        self.add(Sub::Many(subscriber))
    }

    /// Runs every subscriber of `E` in `tx`, in order; the first error stops and is returned
    /// (the caller's transaction then rolls back).
    pub async fn publish<E: Event>(&self, tx: &DatabaseTransaction, event: &E) -> Result<()> {
        self.publish_all(tx, std::slice::from_ref(event)).await
    }

    /// Runs every subscriber of `E` over `events`, in registration order: a batch subscriber
    /// once with all of them, the others once per event, in order. The first error stops and
    /// is returned (the caller's transaction then rolls back).
    pub async fn publish_all<E: Event>(
        &self,
        tx: &DatabaseTransaction,
        events: &[E],
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        for (index, sub) in self.of::<E>().iter().enumerate() {
            let started = std::time::Instant::now();
            match sub {
                Sub::One(subscriber) => {
                    for event in events {
                        subscriber(tx, event).await?;
                    }
                }
                Sub::Many(subscriber) => subscriber(tx, events).await?,
            }
            // Where a batch's hooks spend their time (issue 20's profile).
            tracing::debug!(
                event = std::any::type_name::<E>(),
                subscriber = index,
                events = events.len(),
                us = started.elapsed().as_micros(),
                "subscriber"
            );
        }
        Ok(())
    }

    /// How many subscribers `E` has.
    pub fn subscribers<E: Event>(&self) -> usize {
        self.of::<E>().len()
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

    struct Pong(u32);
    impl Event for Pong {}
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn each<'a>(_: &'a DatabaseTransaction, e: &'a Pong) -> Reaction<'a> {
        SEEN.lock().unwrap().push(format!("each {}", e.0));
        Box::pin(async { Ok(()) })
    }
    fn all<'a>(_: &'a DatabaseTransaction, es: &'a [Pong]) -> Reaction<'a> {
        let ids: Vec<String> = es.iter().map(|e| e.0.to_string()).collect();
        SEEN.lock().unwrap().push(format!("all {}", ids.join(",")));
        Box::pin(async { Ok(()) })
    }

    #[tokio::test]
    async fn a_batch_reaches_batch_subscribers_once_and_the_others_per_event() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("many.db").display());
        let db = Db::connect(&url).await.unwrap();
        let events = Events::default().subscribe_many(all).subscribe(each);
        assert_eq!(events.subscribers::<Pong>(), 2);
        let tx = db.begin_write().await.unwrap();
        events.publish_all(&tx, &[Pong(1), Pong(2), Pong(3)]).await.unwrap();
        events.publish(&tx, &Pong(4)).await.unwrap();
        events.publish_all::<Pong>(&tx, &[]).await.unwrap();
        let seen = std::mem::take(&mut *SEEN.lock().unwrap());
        assert_eq!(seen, ["all 1,2,3", "each 1", "each 2", "each 3", "all 4", "each 4"]);
    }
}
