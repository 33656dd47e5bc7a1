//! Slowing down password guessing: after a few failed sign-ins for one account or from one
//! address, each further try must wait, twice as long each time, up to fifteen minutes. Kept
//! in this instance's memory; a success clears the account's count.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_TRIES_PER_ACCOUNT: u32 = 3;
const FREE_TRIES_PER_ADDRESS: u32 = 10;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Bounds memory under a flood of made-up e-mail addresses.
const MAX_TRACKED: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug, Default)]
pub struct SignInThrottle {
    accounts: Mutex<HashMap<String, Failures>>,
    addresses: Mutex<HashMap<IpAddr, Failures>>,
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

fn note<K: std::hash::Hash + Eq>(map: &Mutex<HashMap<K, Failures>>, key: K, now: Instant) {
    let Ok(mut map) = map.lock() else { return };
    if map.len() >= MAX_TRACKED {
        map.retain(|_, f| now.duration_since(f.last) < LONGEST_WAIT);
    }
    let entry = map.entry(key).or_insert(Failures { count: 0, last: now });
    entry.count += 1;
    entry.last = now;
}

impl SignInThrottle {
    /// How long this account or address must still wait before trying again, if at all.
    pub fn must_wait(&self, email: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let account = self.accounts.lock().ok().and_then(|m| wait_for(m.get(email), FREE_TRIES_PER_ACCOUNT, now));
        let from = address
            .and_then(|a| self.addresses.lock().ok().and_then(|m| wait_for(m.get(&a), FREE_TRIES_PER_ADDRESS, now)));
        account.max(from)
    }

    pub fn failed(&self, email: &str, address: Option<IpAddr>, now: Instant) {
        note(&self.accounts, email.to_owned(), now);
        if let Some(address) = address {
            note(&self.addresses, address, now);
        }
    }

    pub fn succeeded(&self, email: &str) {
        if let Ok(mut accounts) = self.accounts.lock() {
            accounts.remove(email);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_failures_make_an_account_wait_longer_each_time() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(throttle.must_wait("a@x.org", None, start), None);
            throttle.failed("a@x.org", None, start);
        }
        assert_eq!(throttle.must_wait("a@x.org", None, start), Some(Duration::from_secs(1)));
        throttle.failed("a@x.org", None, start);
        assert_eq!(throttle.must_wait("a@x.org", None, start), Some(Duration::from_secs(2)));
        assert_eq!(throttle.must_wait("a@x.org", None, start + Duration::from_secs(3)), None);
        assert_eq!(throttle.must_wait("b@x.org", None, start), None, "other accounts are not slowed");
        throttle.succeeded("a@x.org");
        assert_eq!(throttle.must_wait("a@x.org", None, start), None);
    }

    #[test]
    fn one_address_trying_many_accounts_is_slowed_too() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let address: IpAddr = "203.0.113.4".parse().expect("ip");
        for n in 0..10 {
            throttle.failed(&format!("user{n}@x.org"), Some(address), now);
        }
        assert!(throttle.must_wait("fresh@x.org", Some(address), now).is_some());
        assert!(throttle.must_wait("fresh@x.org", None, now).is_none());
    }
}
