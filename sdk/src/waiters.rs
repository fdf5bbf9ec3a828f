//! Waiters for the long-running migration resources, in the style of the AWS
//! SDK's `wait_until_*`: poll with backoff and jitter until the phase waited
//! for ends, reporting every observed status. Dropping the future cancels the
//! wait.
//!
//! A migration job goes through two phases, each started by an action and
//! waited for separately (the documented lifecycle):
//!
//! 1. `POST …/{id}/validate`, then [`wait_for_validation`]: `validatePassed`
//!    or `validateFailed`.
//! 2. `POST …/{id}/migrate`, then [`wait_for_migration`]: `completed`,
//!    `completedWithErrors` or `failed`.
//!
//! A SharePoint migration task is waited for with
//! [`CrossOrganizationMigrationTasksItemRequestBuilder::wait_until_terminal`].
//!
//! What each status means is decided by matching the generated status enums
//! ([`validation_outcome`], [`migration_outcome`], [`task_outcome`]), so a
//! status renamed or added by regeneration breaks the build here rather than
//! a wait at run time. A status only the service knows (`UnknownValue`)
//! keeps the wait going and is reported to [`Waiter::on_status`].
//! `adminActionRequired` ends the wait at once with
//! [`Outcome::ActionRequired`]: it needs a person, polling cannot end it.
//!
//! The first polls after an action may still read the status from before it
//! (migrating a `failed` job again; validating again a job whose validation
//! expired, still `validatePassed`). A job wait therefore ends on a
//! `Succeeded` or `Failed` status only once it has seen the job in
//! progress, or the job's `lastUpdatedDateTime` has moved since the first
//! poll, or the status has held for two more polls.
//!
//! [`wait_for_validation`]: CrossTenantMigrationJobsItemRequestBuilder::wait_for_validation
//! [`wait_for_migration`]: CrossTenantMigrationJobsItemRequestBuilder::wait_for_migration

#![allow(deprecated)] // the crossTenantMigrationJob API is marked deprecated in Graph beta

use std::time::Duration;

use crate::builders::{
    CrossOrganizationMigrationTasksItemRequestBuilder, CrossTenantMigrationJobsItemRequestBuilder,
};
use crate::models::{
    CrossTenantMigrationJob, CrossTenantMigrationJobStatus as Job, SharePointMigrationTask,
    SharePointMigrationTaskStatus as Task,
};
pub use crate::runtime::{Finished, Outcome, WaitError, WaitResult, Waiter};

/// A [`Waiter`] with defaults suited to migrations, which run for hours:
/// first poll after 15 s, backing off to every 2 minutes, giving up after
/// 24 hours. Adjust it with the `Waiter` builder methods (`interval`,
/// `max_wait`, `on_status`, ...).
pub fn migration_waiter() -> Waiter {
    Waiter::new()
        .interval(Duration::from_secs(15))
        .max_interval(Duration::from_secs(120))
        .max_wait(Duration::from_secs(24 * 3600))
}

/// What a job status means while waiting for a validation started with
/// `POST …/{id}/validate`.
pub fn validation_outcome(status: &Job) -> Outcome {
    job_outcome(status, Phase::Validation)
}

/// What a job status means while waiting for a migration started with
/// `POST …/{id}/migrate`. `completedWithErrors` is a success: the job ended
/// and reports per user what failed (its `users` tasks).
pub fn migration_outcome(status: &Job) -> Outcome {
    job_outcome(status, Phase::Migration)
}

#[derive(Clone, Copy)]
enum Phase {
    Validation,
    Migration,
}

/// Every member is named (no `_` arm): a member that regeneration adds or
/// renames must be given a meaning here before the SDK builds again.
fn job_outcome(status: &Job, phase: Phase) -> Outcome {
    match (status, phase) {
        (Job::AdminActionRequired, _) => Outcome::ActionRequired,
        // `validateFailed` also ends a migration wait: the migrate action
        // refuses a job whose validation did not pass.
        (Job::Failed | Job::Cancelled | Job::Deleted | Job::ValidateFailed, _) => Outcome::Failed,
        (Job::ValidatePassed, Phase::Validation) => Outcome::Succeeded,
        // Where a migration starts from: the first poll after `migrate` may still read it.
        (Job::ValidatePassed, Phase::Migration) => Outcome::InProgress,
        (Job::Completed | Job::CompletedWithErrors, Phase::Migration) => Outcome::Succeeded,
        // A validation does not end in these: the job migrated, so the
        // validation waited for is not what happened.
        (Job::Completed | Job::CompletedWithErrors, Phase::Validation) => Outcome::Failed,
        (
            Job::Submitted
            | Job::Approved
            | Job::Processing
            | Job::CuttingOver
            | Job::InProgress
            | Job::PendingCancel
            | Job::PendingDelete
            | Job::ValidateSubmitted
            | Job::ValidateProcessing
            | Job::ValidateInProgress
            | Job::UnknownFutureValue
            | Job::UnknownValue(_),
            _,
        ) => Outcome::InProgress,
    }
}

/// What a SharePoint migration task status means.
pub fn task_outcome(status: &Task) -> Outcome {
    match status {
        Task::Completed => Outcome::Succeeded,
        Task::Failed | Task::Cancelled => Outcome::Failed,
        Task::NotStarted | Task::InProgress | Task::UnknownFutureValue | Task::UnknownValue(_) => {
            Outcome::InProgress
        }
    }
}

impl CrossTenantMigrationJobsItemRequestBuilder {
    /// Polls the job until its validation ends ([`validation_outcome`]):
    /// `validatePassed` succeeds, `validateFailed` fails,
    /// `adminActionRequired` returns at once. Call it after
    /// `self.validate().post()`.
    pub async fn wait_for_validation(&self, waiter: Waiter) -> WaitResult<CrossTenantMigrationJob> {
        self.wait_for(waiter, validation_outcome).await
    }

    /// Polls the job until its migration ends ([`migration_outcome`]):
    /// `completed` and `completedWithErrors` succeed, `failed` fails,
    /// `adminActionRequired` returns at once. Call it after
    /// `self.migrate().post()`.
    pub async fn wait_for_migration(&self, waiter: Waiter) -> WaitResult<CrossTenantMigrationJob> {
        self.wait_for(waiter, migration_outcome).await
    }

    async fn wait_for(
        &self,
        waiter: Waiter,
        classify: fn(&Job) -> Outcome,
    ) -> WaitResult<CrossTenantMigrationJob> {
        let guard = std::sync::Mutex::new(StartGuard::default());
        waiter
            .wait(
                || self.get().send(),
                |job: &CrossTenantMigrationJob| {
                    let status = job.status.get().cloned()?;
                    let outcome = classify(&status);
                    let mut guard = guard.lock().unwrap_or_else(|e| e.into_inner());
                    let stale = guard.stale(outcome, job.last_updated_date_time.get());
                    Some(Observed { status, stale })
                },
                |o: &Observed| {
                    if o.stale {
                        Outcome::InProgress
                    } else {
                        classify(&o.status)
                    }
                },
            )
            .await
    }
}

/// A job status as a wait observed it.
struct Observed {
    status: Job,
    /// A terminal status that may still be the one from before the action.
    stale: bool,
}

impl std::fmt::Display for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.status.fmt(f)
    }
}

/// How many more polls a terminal status read before any other must last,
/// unchanged, to be taken as the answer.
const STALE_POLLS: u32 = 2;

/// The first polls after `validate` or `migrate` may still read the status
/// from before it: migrating a `failed` job again, or validating again a
/// job whose validation expired (`validatePassed`). The migrate page asks
/// for that ("revalidate first" after seven days), though the current
/// validate page lists only `submitted` and `validateFailed` as statuses it
/// starts from: should the service refuse it, `validate` returns its 409 and
/// no wait starts. A terminal status is taken at once when the wait has seen the
/// job in progress, or when the job's `lastUpdatedDateTime` moved since the
/// first poll; otherwise only after it held for [`STALE_POLLS`] more polls
/// (an action the service finished, or refused, before the first poll).
#[derive(Default)]
struct StartGuard {
    seen_in_progress: bool,
    first_update: Option<Option<crate::runtime::edm::DateTimeOffset>>,
    unchanged_polls: u32,
}

impl StartGuard {
    fn stale(
        &mut self,
        outcome: Outcome,
        updated: Option<&crate::runtime::edm::DateTimeOffset>,
    ) -> bool {
        if !matches!(outcome, Outcome::Succeeded | Outcome::Failed) {
            self.seen_in_progress |= outcome == Outcome::InProgress;
            return false;
        }
        if self.seen_in_progress {
            return false;
        }
        match &self.first_update {
            None => {
                self.first_update = Some(updated.cloned());
                true
            }
            Some(first) if first.as_ref() != updated => false,
            Some(_) => {
                self.unchanged_polls += 1;
                self.unchanged_polls < STALE_POLLS
            }
        }
    }
}

impl CrossOrganizationMigrationTasksItemRequestBuilder {
    /// Polls the task until it is completed, failed or cancelled ([`task_outcome`]).
    pub async fn wait_until_terminal(&self, waiter: Waiter) -> WaitResult<SharePointMigrationTask> {
        waiter
            .wait(
                || self.get().send(),
                |task: &SharePointMigrationTask| task.status.get().cloned(),
                task_outcome,
            )
            .await
    }
}
