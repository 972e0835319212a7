//! Sales-person roles; the customer scope itself is identity's rule (`identity::scope`),
//! re-exported here for the sales code.

use crate::identity::auth::Role;

pub use crate::identity::scope::{Assignment, CustomerScope};

/// Whether a user may be a desk's sales person: managers and agents.
pub fn is_sales_role(role: Role) -> bool {
    matches!(role, Role::Manager | Role::ConversionAgent | Role::RetentionAgent)
}
