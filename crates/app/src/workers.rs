//! The job runner with every job kind of the application registered.

use crate::App;
use crate::jobs::Runner;

/// A runner for `app` identified as `worker` (host/pid), with all job kinds registered.
pub fn runner(app: App, worker: impl Into<String>) -> Runner {
    Runner::new(app, worker)
        .register::<crate::email::SendEmail>()
        .register::<crate::leads::internal_crm::HashLeadPassword>()
}
