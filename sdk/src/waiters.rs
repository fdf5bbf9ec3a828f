//! Waiters for the long-running migration resources, in the style of the AWS
//! SDK's `wait_until_*`: poll with backoff and jitter until a terminal status,
//! reporting every observed status. Dropping the future cancels the wait.
//!
//! Hand-written on top of the generated builders and [`crate::runtime::wait::Waiter`];
//! statuses are compared case-insensitively, so a status this SDK version does
//! not know (an `UnknownValue`) keeps the wait going until `max_wait`.

#![allow(deprecated)]

use std::time::Duration;

use crate::builders::{
    CrossOrganizationMigrationTasksItemRequestBuilder, CrossTenantMigrationJobsItemRequestBuilder,
};
use crate::models::{CrossTenantMigrationJob, SharePointMigrationTask};
use crate::runtime::Result;
pub use crate::runtime::wait::{Finished, Outcome, Waiter};

/// Terminal statuses of a migration job.
pub const JOB_SUCCESS: &[&str] = &["completed", "completedWithErrors"];
pub const JOB_FAILURE: &[&str] = &["failed", "cancelled"];
/// Additional terminal statuses of a validation job.
pub const VALIDATION_SUCCESS: &[&str] = &["validatePassed"];
pub const VALIDATION_FAILURE: &[&str] = &["validateFailed"];
/// Terminal statuses of a SharePoint migration task.
pub const TASK_SUCCESS: &[&str] = &["completed"];
pub const TASK_FAILURE: &[&str] = &["failed", "cancelled"];

/// A [`Waiter`] with defaults suited to migrations, which run for hours:
/// first poll after 15 s, backing off to every 2 minutes, giving up after
/// 24 hours. Adjust it with the `Waiter` builder methods (`interval`,
/// `max_wait`, `on_status`, ...); the terminal statuses are set by the
/// `wait_until_terminal` method it is passed to.
pub fn migration_waiter() -> Waiter {
    Waiter::new()
        .interval(Duration::from_secs(15))
        .max_interval(Duration::from_secs(120))
        .max_wait(Duration::from_secs(24 * 3600))
}

impl CrossTenantMigrationJobsItemRequestBuilder {
    /// Polls the job until it reaches a terminal status: completed,
    /// completedWithErrors, failed or cancelled — and for a validation job
    /// also validatePassed or validateFailed.
    pub async fn wait_until_terminal(
        &self,
        waiter: Waiter,
    ) -> Result<Finished<CrossTenantMigrationJob>> {
        waiter
            .success_statuses(JOB_SUCCESS.iter().chain(VALIDATION_SUCCESS).copied())
            .failure_statuses(JOB_FAILURE.iter().chain(VALIDATION_FAILURE).copied())
            .wait(
                || self.get().send(),
                |job: &CrossTenantMigrationJob| job.status.get().map(|s| s.to_string()),
            )
            .await
    }
}

impl CrossOrganizationMigrationTasksItemRequestBuilder {
    /// Polls the task until it is completed, failed or cancelled.
    pub async fn wait_until_terminal(
        &self,
        waiter: Waiter,
    ) -> Result<Finished<SharePointMigrationTask>> {
        waiter
            .success_statuses(TASK_SUCCESS.iter().copied())
            .failure_statuses(TASK_FAILURE.iter().copied())
            .wait(
                || self.get().send(),
                |t: &SharePointMigrationTask| t.status.get().map(|s| s.to_string()),
            )
            .await
    }
}
