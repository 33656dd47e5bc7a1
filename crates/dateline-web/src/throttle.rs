//! Slowing down password guessing without letting anyone lock a real user out.
//!
//! An attempt is counted *before* its password is checked, under one lock, so forty wrong
//! passwords sent at once are forty counted attempts, not forty free ones; a correct password
//! takes its attempt back. After a few failures, each further try must wait, twice as long
//! each time, up to fifteen minutes. Three counts are kept:
//! - per account *and* address: the guesser's own tries at one account;
//! - per address: one address trying many accounts;
//! - per account from everywhere: many addresses at one account, with a higher allowance.
//!   This one slows only addresses that have failed themselves, so a flood of failures from
//!   elsewhere never blocks the real user signing in from an address with no failures.
//!
//! That follows OWASP's authentication guidance: throttling rather than hard lockout, and no
//! lockout an attacker can trigger against someone else. Kept in this instance's memory.
//!
//! [`ApiRate`] is the write API's: a number of requests a minute per key.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_TRIES_PER_ACCOUNT_AND_ADDRESS: u32 = 3;
const FREE_TRIES_PER_ADDRESS: u32 = 10;
const FREE_TRIES_PER_ACCOUNT: u32 = 20;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Bounds memory under a flood of made-up e-mail addresses.
const MAX_TRACKED: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug, Default)]
struct Counts {
    pairs: HashMap<(String, IpAddr), Failures>,
    addresses: HashMap<IpAddr, Failures>,
    accounts: HashMap<String, Failures>,
}

#[derive(Debug, Default)]
pub struct SignInThrottle {
    counts: Mutex<Counts>,
}

fn wait_for(failures: Option<&Failures>, free: u32, now: Instant) -> Option<Duration> {
    let failures = failures?;
    if failures.count < free {
        return None;
    }
    let doublings = (failures.count - free).min(10);
    let wait = (Duration::from_secs(1) * 2u32.pow(doublings)).min(LONGEST_WAIT);
    let ready = failures.last + wait;
    (ready > now).then(|| ready - now)
}

fn note<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Failures>, key: K, now: Instant) {
    if map.len() >= MAX_TRACKED {
        map.retain(|_, f| now.duration_since(f.last) < LONGEST_WAIT);
        // Still full of recent entries (a flood of made-up names): start again rather than
        // scan a full map on every attempt.
        if map.len() >= MAX_TRACKED {
            map.clear();
        }
    }
    let entry = map.entry(key).or_insert(Failures { count: 0, last: now });
    entry.count += 1;
    entry.last = now;
}

fn take_back<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Failures>, key: &K) {
    if let Some(failures) = map.get_mut(key) {
        failures.count = failures.count.saturating_sub(1);
        if failures.count == 0 {
            map.remove(key);
        }
    }
}

/// The address as counted: an IPv6 address by its /64, which one household or server holds
/// whole, so that rotating through it does not give fresh tries.
fn counted(address: Option<IpAddr>) -> IpAddr {
    match address {
        Some(IpAddr::V6(v6)) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(std::net::Ipv6Addr::from(segments))
        }
        Some(v4) => v4,
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    }
}

impl SignInThrottle {
    /// Counts an attempt for `email` from `address`, or says how long it must still wait.
    /// Call it before checking the password; call [`SignInThrottle::succeeded`] when the
    /// password was right.
    pub fn attempt(&self, email: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let address = counted(address);
        let Ok(mut counts) = self.counts.lock() else { return Ok(()) };
        let pair = (email.to_owned(), address);
        let own = wait_for(counts.pairs.get(&pair), FREE_TRIES_PER_ACCOUNT_AND_ADDRESS, now);
        let from_here = wait_for(counts.addresses.get(&address), FREE_TRIES_PER_ADDRESS, now);
        let has_failed_here = counts.pairs.contains_key(&pair);
        let everywhere =
            has_failed_here.then(|| wait_for(counts.accounts.get(email), FREE_TRIES_PER_ACCOUNT, now)).flatten();
        if let Some(wait) = own.max(from_here).max(everywhere) {
            return Err(wait);
        }
        note(&mut counts.pairs, pair, now);
        note(&mut counts.addresses, address, now);
        note(&mut counts.accounts, email.to_owned(), now);
        Ok(())
    }

    /// The password was right: the attempt is taken back, and the account's own failures
    /// from this address are forgotten.
    pub fn succeeded(&self, email: &str, address: Option<IpAddr>) {
        let address = counted(address);
        let Ok(mut counts) = self.counts.lock() else { return };
        counts.pairs.remove(&(email.to_owned(), address));
        take_back(&mut counts.addresses, &address);
        take_back(&mut counts.accounts, &email.to_owned());
    }
}

/// A fixed one-minute window per key: simple, and fair enough for scripts and partners.
pub(crate) struct ApiRate {
    pub per_minute: u32,
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl ApiRate {
    /// `per_minute` 0 means the default, 600.
    pub(crate) fn new(per_minute: u32) -> Self {
        let per_minute = if per_minute == 0 { 600 } else { per_minute };
        ApiRate { per_minute, windows: Mutex::default() }
    }

    /// Counts one request of key `id`; refused with how long to wait when over the rate.
    pub(crate) fn allow(&self, id: i64, now: Instant) -> Result<(), Duration> {
        let Ok(mut windows) = self.windows.lock() else { return Ok(()) };
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let (start, count) = windows.entry(id).or_insert((now, 0));
        if now.duration_since(*start) >= Duration::from_secs(60) {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            return Err(Duration::from_secs(60).saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn repeated_failures_make_an_account_wait_longer_each_time_from_that_address() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        let here = ip("198.51.100.7");
        for _ in 0..3 {
            assert_eq!(throttle.attempt("a@x.org", here, start), Ok(()));
        }
        assert_eq!(throttle.attempt("a@x.org", here, start), Err(Duration::from_secs(1)));
        assert_eq!(throttle.attempt("a@x.org", here, start + Duration::from_secs(1)), Ok(()));
        assert_eq!(throttle.attempt("a@x.org", here, start + Duration::from_secs(1)), Err(Duration::from_secs(2)));
        assert_eq!(throttle.attempt("b@x.org", here, start), Ok(()), "other accounts are not slowed");
    }

    #[test]
    fn attempts_are_counted_before_the_password_so_a_burst_gets_no_free_guesses() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let allowed = (0..40).filter(|_| throttle.attempt("a@x.org", ip("203.0.113.9"), now).is_ok()).count();
        assert_eq!(allowed, 3);
    }

    #[test]
    fn failures_from_elsewhere_never_lock_out_the_user_signing_in_from_a_clean_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for n in 0..200 {
            let _ = throttle.attempt("editor@x.org", ip(&format!("203.0.113.{}", n % 250)), now);
        }
        assert_eq!(throttle.attempt("editor@x.org", ip("198.51.100.1"), now), Ok(()), "a clean address gets its try");
        throttle.succeeded("editor@x.org", ip("198.51.100.1"));
        // An address that has failed at this account is slowed by the account's total too.
        assert!(throttle.attempt("editor@x.org", ip("203.0.113.1"), now).is_err());
    }

    #[test]
    fn one_address_trying_many_accounts_is_slowed_and_a_success_takes_its_attempt_back() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let address = ip("203.0.113.4");
        for n in 0..9 {
            assert!(throttle.attempt(&format!("user{n}@x.org"), address, now).is_ok());
        }
        assert!(throttle.attempt("mine@x.org", address, now).is_ok());
        throttle.succeeded("mine@x.org", address);
        assert!(throttle.attempt("fresh@x.org", address, now).is_ok(), "the success did not count against the address");
        assert!(throttle.attempt("other@x.org", address, now).is_err());
        assert!(throttle.attempt("other@x.org", ip("198.51.100.2"), now).is_ok());
    }

    #[test]
    fn one_ipv6_network_counts_as_one_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for n in 0..3 {
            assert!(throttle.attempt("a@x.org", ip(&format!("2001:db8:1:2::{n:x}")), now).is_ok());
        }
        assert!(throttle.attempt("a@x.org", ip("2001:db8:1:2:ffff::9"), now).is_err(), "the same /64");
        assert!(throttle.attempt("a@x.org", ip("2001:db8:1:3::1"), now).is_ok(), "another /64");
    }

    #[test]
    fn a_key_gets_its_rate_a_minute_and_then_waits_for_the_next() {
        let rate = ApiRate::new(3);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(rate.allow(7, start).is_ok());
        }
        let wait = rate.allow(7, start + Duration::from_secs(20)).expect_err("over the rate");
        assert_eq!(wait.as_secs(), 40);
        assert!(rate.allow(8, start).is_ok(), "another key has its own rate");
        assert!(rate.allow(7, start + Duration::from_secs(61)).is_ok(), "a new minute");
    }
}

/// Sign-ups to the newsletters: each sends a confirmation e-mail, so an address or a network
/// must not be able to make the paper send many. At most [`SIGN_UPS_PER_ADDRESS`] an hour to
/// one address and [`SIGN_UPS_PER_NETWORK`] an hour from one network (a /24 for IPv4, a /48
/// for IPv6, so that one machine's many addresses count once). Kept in this instance's memory.
#[derive(Debug, Default)]
pub struct SignUpThrottle {
    counts: Mutex<SignUpCounts>,
}

#[derive(Debug, Default)]
struct SignUpCounts {
    addresses: HashMap<String, (u32, Instant)>,
    networks: HashMap<IpAddr, (u32, Instant)>,
}

pub const SIGN_UPS_PER_ADDRESS: u32 = 3;
pub const SIGN_UPS_PER_NETWORK: u32 = 20;
const SIGN_UP_WINDOW: Duration = Duration::from_secs(3600);

/// The network an address belongs to, as sign-ups are counted.
fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::V4(Ipv4Addr::new(a, b, c, 0))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0))
        }
    }
}

fn take<K: std::hash::Hash + Eq>(map: &mut HashMap<K, (u32, Instant)>, key: K, most: u32, now: Instant) -> bool {
    if map.len() >= MAX_TRACKED {
        map.retain(|_, (_, since)| now.duration_since(*since) < SIGN_UP_WINDOW);
    }
    let entry = map.entry(key).or_insert((0, now));
    if now.duration_since(entry.1) >= SIGN_UP_WINDOW {
        *entry = (0, now);
    }
    if entry.0 >= most {
        return false;
    }
    entry.0 += 1;
    true
}

impl SignUpThrottle {
    /// Counts a sign-up of `email` from `client`; false when either is over its allowance.
    pub fn allow(&self, email: &str, client: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let Ok(mut counts) = self.counts.lock() else { return false };
        if let Some(client) = client {
            if !take(&mut counts.networks, network_of(client), SIGN_UPS_PER_NETWORK, now) {
                return false;
            }
        }
        take(&mut counts.addresses, email.to_lowercase(), SIGN_UPS_PER_ADDRESS, now)
    }
}
