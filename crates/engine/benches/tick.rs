//! One tick on a symbol's trigger book carrying 10^3..10^6 open positions of up to 10,000
//! accounts (stop loss and take profit spread ±2,000 price steps around the price, one in ten
//! with a trailing stop, one stop-out threshold per account): the time to find every due
//! trigger. Ticks alternate 6 steps below and above the price, so about 0.3 % of the triggers
//! are due on each (about 300 on 100,000 positions); what fired is put back as it was outside
//! the timing, so every tick finds the same book. Besides criterion's
//! report it prints p50/p99/max over 2,000 timed ticks per size.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use brokercrm_engine::Price;
use brokercrm_engine::book::{Fired, Kind, SymbolBook};
use brokercrm_engine::maths::Side;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const STEP: i64 = 1_000; // 10^-5 (5 decimals)
const BASE: i64 = 110_000_000; // 1.10000

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn steps(&mut self, max: u64) -> i64 {
        i64::try_from(1 + self.next() % max).unwrap() * STEP
    }
}

/// One position's triggers as first placed (restored after it fires).
#[derive(Clone, Copy)]
struct Plan {
    side: Side,
    sl: i64,
    tp: i64,
    trailing_ppm: Option<i64>,
}

fn plan(rng: &mut Lcg, id: u64) -> Plan {
    let side = if id.is_multiple_of(2) { Side::Buy } else { Side::Sell };
    let (sl, tp) = match side {
        Side::Buy => (BASE - rng.steps(2_000), BASE + rng.steps(2_000)),
        Side::Sell => (BASE + rng.steps(2_000), BASE - rng.steps(2_000)),
    };
    let trailing_ppm = id
        .is_multiple_of(10)
        .then(|| [2_000, 5_000, 10_000, 20_000][usize::try_from(rng.next() % 4).unwrap()]);
    Plan { side, sl, tp, trailing_ppm }
}

fn place(book: &mut SymbolBook, id: u64, p: Plan) {
    match p.trailing_ppm {
        Some(ppm) => {
            book.set_trailing(
                id,
                p.side,
                ppm,
                Price::from_minor(BASE),
                Price::from_minor(BASE + STEP),
                None,
            );
        }
        None => book.set_stop_loss(id, p.side, Some(Price::from_minor(p.sl))),
    }
    book.set_take_profit(id, p.side, Some(Price::from_minor(p.tp)));
}

struct Bench {
    book: SymbolBook,
    plans: Vec<Plan>,
    stop_outs: Vec<(Side, i64)>,
}

fn build(n: u64) -> Bench {
    let mut book = SymbolBook::new(STEP);
    book.set_spread_allowance(4 * STEP);
    let mut rng = Lcg(42);
    let mut plans = Vec::new();
    for id in 0..n {
        let p = plan(&mut rng, id);
        place(&mut book, id, p);
        plans.push(p);
    }
    let mut stop_outs = Vec::new();
    for account in 0..n.min(10_000) {
        let t = if account.is_multiple_of(2) {
            (Side::Buy, BASE - rng.steps(3_000))
        } else {
            (Side::Sell, BASE + rng.steps(3_000))
        };
        book.set_stop_out(account, Some((t.0, Price::from_minor(t.1))));
        stop_outs.push(t);
    }
    Bench { book, plans, stop_outs }
}

/// Puts back what fired, as it was (the book stays the same from tick to tick).
fn refill(b: &mut Bench, fired: &[Fired]) {
    for f in fired {
        let i = usize::try_from(f.id).unwrap();
        match f.kind {
            Kind::StopOut => {
                let (side, level) = b.stop_outs[i];
                b.book.set_stop_out(f.id, Some((side, Price::from_minor(level))));
            }
            _ => place(&mut b.book, f.id, b.plans[i]),
        }
    }
}

/// One timed tick; refills outside the timing. Returns (elapsed, fired).
fn tick(b: &mut Bench, i: u64) -> (Duration, usize) {
    let bid = if i.is_multiple_of(2) { BASE - 6 * STEP } else { BASE + 6 * STEP };
    let (bid, ask) = (Price::from_minor(bid), Price::from_minor(bid + STEP));
    let t0 = Instant::now();
    let out = black_box(b.book.on_tick(bid, ask));
    let el = t0.elapsed();
    refill(b, &out.fired);
    (el, out.fired.len())
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("tick");
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        let mut b = build(n);
        for i in 0..20 {
            tick(&mut b, i);
        }
        let mut times = Vec::new();
        let mut fired = 0;
        for i in 0..2_000 {
            let (t, f) = tick(&mut b, i);
            times.push(t);
            fired += f;
        }
        times.sort_unstable();
        let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
        eprintln!(
            "n={n}: entries={} fired/tick={} p50={:?} p99={:?} max={:?}",
            b.book.len(),
            fired / 2_000,
            pct(50),
            pct(99),
            times[times.len() - 1]
        );
        let mut i = 0u64;
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |bch, _| {
            bch.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    i += 1;
                    total += tick(&mut b, i).0;
                }
                total
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
