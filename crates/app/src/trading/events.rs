//! What trading publishes on the in-transaction event hook (`platform::events`).

use crate::platform::events::Event;

/// A trading group is about to be deleted, inside the deleting transaction: a subscriber whose
/// records still use the group refuses with a conflict (and the deletion rolls back).
pub struct GroupDeleting {
    pub group_id: i64,
}

impl Event for GroupDeleting {}
