//! The simulated clock that drives every lifecycle in the simulator.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// A clock that tests control.
///
/// All state transitions (job validation, migration, SharePoint task progress,
/// `preferredStartDateTime`, the seven-day validation expiry, ...) are computed
/// lazily from this clock whenever the simulator reads its state, so advancing
/// the clock and then issuing a request shows the new state immediately.
///
/// A clock is either *frozen* (rate `0.0`, the default for [`crate::start`]):
/// time only moves when [`SimClock::advance`] or [`SimClock::set`] is called;
/// or *running* at `rate` simulated seconds per real second.
///
/// Cloning a `SimClock` gives another handle to the same clock.
#[derive(Clone, Debug)]
pub struct SimClock {
    inner: Arc<Mutex<ClockInner>>,
}

#[derive(Debug)]
struct ClockInner {
    base: OffsetDateTime,
    real_base: Instant,
    rate: f64,
}

impl SimClock {
    /// A frozen clock showing `start`.
    pub fn frozen(start: OffsetDateTime) -> Self {
        Self::scaled(start, 0.0)
    }

    /// A clock that starts at `start` and runs at `rate` simulated seconds per
    /// real second (`0.0` means frozen, `1.0` real time, `60.0` a minute per second).
    pub fn scaled(start: OffsetDateTime, rate: f64) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            0.0
        };
        Self {
            inner: Arc::new(Mutex::new(ClockInner {
                base: start,
                real_base: Instant::now(),
                rate,
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current simulated time (UTC).
    pub fn now(&self) -> OffsetDateTime {
        let g = self.lock();
        now_of(&g)
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut g = self.lock();
        g.base += by;
    }

    /// Moves the clock forward by `secs` seconds.
    pub fn advance_secs(&self, secs: u64) {
        self.advance(Duration::from_secs(secs));
    }

    /// Sets the clock to `at` (it may go backwards; the simulator never undoes
    /// transitions that already happened).
    pub fn set(&self, at: OffsetDateTime) {
        let mut g = self.lock();
        g.base = at;
        g.real_base = Instant::now();
    }

    /// Changes the rate (`0.0` freezes the clock at its current reading).
    pub fn set_rate(&self, rate: f64) {
        let mut g = self.lock();
        let now = now_of(&g);
        g.base = now;
        g.real_base = Instant::now();
        g.rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            0.0
        };
    }

    /// The current rate (simulated seconds per real second; `0.0` when frozen).
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }
}

fn now_of(g: &ClockInner) -> OffsetDateTime {
    if g.rate == 0.0 {
        g.base
    } else {
        let elapsed = g.real_base.elapsed().as_secs_f64() * g.rate;
        g.base + Duration::from_secs_f64(elapsed)
    }
}

/// Current wall-clock time truncated to whole seconds (the default clock start).
pub(crate) fn default_start() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_advance_set_and_scaled() {
        let start = default_start();
        let c = SimClock::frozen(start);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(c.now(), start);
        c.advance_secs(90);
        assert_eq!(c.now() - start, time::Duration::seconds(90));
        c.clone().advance(Duration::from_secs(10));
        assert_eq!(
            c.now() - start,
            time::Duration::seconds(100),
            "clones share the clock"
        );
        c.set(start);
        assert_eq!(c.now(), start);

        let s = SimClock::scaled(start, 1000.0);
        std::thread::sleep(Duration::from_millis(20));
        assert!(s.now() - start >= time::Duration::seconds(20));
        s.set_rate(0.0);
        let frozen = s.now();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(s.now(), frozen);
        assert_eq!(s.rate(), 0.0);
    }
}
