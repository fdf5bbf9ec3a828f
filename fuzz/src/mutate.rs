//! A small deterministic mutator for the bounded stable smoke runs
//! (`codegen/tests/it/prop_fuzz_csdl.rs`, `sdk/tests/it/prop_fuzz_models.rs`): the
//! committed seeds with random byte flips, truncations, duplications,
//! deletions, splices and inserted tokens. libFuzzer's own mutator replaces
//! it under `cargo fuzz`.

use std::path::Path;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, no dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Reads every file of `dir` (sorted by name, so runs are reproducible).
pub fn read_seeds(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("seed directory {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed file"))
        .collect()
}

/// Mutates `input` in place with 1 to 8 random edits. `tokens` are inserted
/// or substituted whole (markup, quotes, escapes, numbers...); `other` is
/// another seed to splice from.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8], tokens: &[&[u8]]) {
    // Half of the inputs get a single edit, so that many stay well formed
    // enough to reach the deeper checks.
    let edits = if rng.below(2) == 0 {
        1
    } else {
        1 + rng.below(8)
    };
    for _ in 0..edits {
        let len = input.len();
        match rng.below(10) {
            // flip one bit
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            // set one byte at random (ASCII punctuation half of the time)
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = if rng.below(2) == 0 {
                    b"<>/\"'&;=:#?%[]{}(),.\\ \n\0"[rng.below(24)]
                } else {
                    rng.next_u64() as u8
                };
            }
            // truncate
            2 if len > 0 => {
                let at = rng.below(len);
                input.truncate(at);
            }
            // delete a range
            3 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64.min(len - a))).min(len);
                input.drain(a..b);
            }
            // duplicate a range in place (repeats elements, attributes, keys)
            4 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256.min(len - a))).min(len);
                let chunk = input[a..b].to_vec();
                let times = 1 + rng.below(3);
                for _ in 0..times {
                    let at = rng.below(input.len() + 1);
                    input.splice(at..at, chunk.iter().copied());
                }
            }
            // splice a range of another seed
            5 if !other.is_empty() => {
                let a = rng.below(other.len());
                let b = (a + 1 + rng.below(512.min(other.len() - a))).min(other.len());
                let at = rng.below(len + 1);
                input.splice(at..at, other[a..b].iter().copied());
            }
            // insert a token
            6 | 7 if !tokens.is_empty() => {
                let t = tokens[rng.below(tokens.len())];
                let at = rng.below(len + 1);
                input.splice(at..at, t.iter().copied());
            }
            // replace a range by a token
            8 if !tokens.is_empty() && len > 0 => {
                let t = tokens[rng.below(tokens.len())];
                let a = rng.below(len);
                let b = (a + 1 + rng.below(16.min(len - a))).min(len);
                input.splice(a..b, t.iter().copied());
            }
            // insert random bytes
            _ => {
                let n = 1 + rng.below(8);
                let at = rng.below(len + 1);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
                input.splice(at..at, bytes);
            }
        }
    }
    // Keep inputs small enough for a debug build.
    input.truncate(256 * 1024);
}

/// What a bounded run did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub executions: u64,
    pub accepted: u64,
    pub slowest: Duration,
    pub elapsed: Duration,
}

/// Runs `target` on every seed and then on mutated seeds until `max_execs`
/// executions or `budget` has passed, whichever comes first. Panics (the
/// test fails) when one input takes longer than `max_one` (a hang).
/// The seed of the random generator is `seed`, unless `FUZZ_SMOKE_SEED` is
/// set; `FUZZ_SMOKE_EXECS` overrides `max_execs`.
pub fn run(
    seeds: &[Vec<u8>],
    tokens: &[&[u8]],
    seed: u64,
    max_execs: u64,
    budget: Duration,
    max_one: Duration,
    mut target: impl FnMut(&[u8]) -> bool,
) -> Report {
    let seed = env_u64("FUZZ_SMOKE_SEED").unwrap_or(seed);
    let max_execs = env_u64("FUZZ_SMOKE_EXECS").unwrap_or(max_execs);
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    let start = Instant::now();
    let mut one = |input: &[u8], report: &mut Report| {
        let t = Instant::now();
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(input)));
        let took = t.elapsed();
        match ok {
            Ok(accepted) => report.accepted += u64::from(accepted),
            Err(e) => {
                let path = std::env::temp_dir().join(format!("fuzz-smoke-crash-{seed}.bin"));
                let _ = std::fs::write(&path, input);
                std::panic::panic_any(format!(
                    "input #{} (seed {seed}) panicked; saved to {}: {:?}",
                    report.executions,
                    path.display(),
                    e.downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| e.downcast_ref::<&str>().copied())
                ));
            }
        }
        report.executions += 1;
        report.slowest = report.slowest.max(took);
        assert!(
            took <= max_one,
            "input #{} (seed {seed}, {} bytes) took {took:?}: a hang",
            report.executions,
            input.len()
        );
    };
    for s in seeds {
        one(s, &mut report);
    }
    while report.executions < max_execs && start.elapsed() < budget {
        let i = rng.below(seeds.len());
        let j = rng.below(seeds.len());
        let mut input = seeds[i].clone();
        mutate(&mut rng, &mut input, &seeds[j], tokens);
        one(&input, &mut report);
    }
    report.elapsed = start.elapsed();
    report
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}
