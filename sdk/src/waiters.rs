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

/// Called with every status a waiter observes.
type StatusCallback = Box<dyn FnMut(&str) + Send>;

/// How to wait: polling interval, backoff, maximum wait, status callback.
pub struct WaitOptions {
    pub interval: Duration,
    pub max_interval: Duration,
    pub max_wait: Duration,
    pub jitter: bool,
    on_status: Option<StatusCallback>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(15),
            max_interval: Duration::from_secs(120),
            max_wait: Duration::from_secs(24 * 3600),
            jitter: true,
            on_status: None,
        }
    }
}

impl WaitOptions {
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = d;
        self
    }
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }
    /// Called with every status observed, in order.
    pub fn on_status(mut self, f: impl FnMut(&str) + Send + 'static) -> Self {
        self.on_status = Some(Box::new(f));
        self
    }

    fn waiter(self, success: &[&str], failure: &[&str]) -> Waiter {
        let mut w = Waiter::new()
            .success_statuses(success.iter().copied())
            .failure_statuses(failure.iter().copied())
            .interval(self.interval)
            .max_interval(self.max_interval)
            .max_wait(self.max_wait)
            .jitter(self.jitter);
        if let Some(f) = self.on_status {
            w = w.on_status(f);
        }
        w
    }
}

impl CrossTenantMigrationJobsItemRequestBuilder {
    /// Polls the job until it reaches a terminal status: completed,
    /// completedWithErrors, failed or cancelled — and for a validation job
    /// also validatePassed or validateFailed.
    pub async fn wait_until_terminal(
        &self,
        options: WaitOptions,
    ) -> Result<Finished<CrossTenantMigrationJob>> {
        let success: Vec<&str> = JOB_SUCCESS
            .iter()
            .chain(VALIDATION_SUCCESS)
            .copied()
            .collect();
        let failure: Vec<&str> = JOB_FAILURE
            .iter()
            .chain(VALIDATION_FAILURE)
            .copied()
            .collect();
        options
            .waiter(&success, &failure)
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
        options: WaitOptions,
    ) -> Result<Finished<SharePointMigrationTask>> {
        options
            .waiter(TASK_SUCCESS, TASK_FAILURE)
            .wait(
                || self.get().send(),
                |t: &SharePointMigrationTask| t.status.get().map(|s| s.to_string()),
            )
            .await
    }
}
