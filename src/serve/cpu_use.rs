//! The CPU time and page faults of the `serve` process over a span of its work (a rebuild,
//! from the save to the reload message), which `COMMUNIQUE_TIMINGS` prints beside the
//! stages' wall times. A wall time alone does not say whether a slow rebuild did more
//! work, waited for a core, or spent its time in the kernel giving the process fresh
//! memory: on a virtual machine a page the host has not backed yet can cost tens of
//! microseconds to fault in (docs/performance.md, "Serve latency").

use std::time::Duration;

/// What the whole process (every thread) used: CPU time in user space and in the kernel,
/// and the minor page faults (pages given to it without reading a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuUse {
    pub user: Duration,
    pub system: Duration,
    pub page_faults: u64,
}

impl CpuUse {
    /// What the process has used since it started; `None` where the system does not say.
    pub fn so_far() -> Option<CpuUse> {
        process_use()
    }

    /// What was used between `earlier` and `self`.
    pub fn since(self, earlier: CpuUse) -> CpuUse {
        CpuUse {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
            page_faults: self.page_faults.saturating_sub(earlier.page_faults),
        }
    }
}

#[cfg(target_os = "linux")]
fn process_use() -> Option<CpuUse> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given, which points
    // to one; the value is read only when it reports success.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Some(CpuUse {
        user: time(usage.ru_utime),
        system: time(usage.ru_stime),
        page_faults: u64::try_from(usage.ru_minflt).unwrap_or(0),
    })
}

#[cfg(not(target_os = "linux"))]
fn process_use() -> Option<CpuUse> {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The CPU time this thread has used (user and system).
    fn thread_cpu_time() -> Duration {
        let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `now` is a valid timespec to write into; the clock exists on Linux.
        let read = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        assert_eq!(read, 0, "the thread's CPU clock is readable");
        Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    }

    /// Held by the tests that read the process's use: one's page faults (system time)
    /// are not taken among the other's computing.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn computing_shows_as_user_time() {
        let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let before = CpuUse::so_far().expect("Linux reports a process's use");
        // Until this thread has computed for 80 ms, however long a busy machine makes
        // that take (a spin of 80 ms of wall time got less than 50 ms of a core under
        // load); its clock read seldom, as reading it is a system call here.
        let (started, mut x) = (thread_cpu_time(), 1u64);
        while thread_cpu_time() - started < Duration::from_millis(80) {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
        }
        let used = CpuUse::so_far().unwrap().since(before);
        // Other tests run meanwhile, so only a lower bound holds.
        assert!(used.user >= Duration::from_millis(50), "{used:?}");
    }

    #[test]
    fn fresh_memory_shows_as_page_faults() {
        let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let before = CpuUse::so_far().expect("Linux reports a process's use");
        // 32 MB written page by page: fresh pages, whatever the allocator kept before.
        let mut memory = vec![0u8; 32 << 20];
        for page in memory.chunks_mut(4096) {
            page[0] = 1;
        }
        std::hint::black_box(&memory);
        let used = CpuUse::so_far().unwrap().since(before);
        assert!(used.page_faults >= 1, "{used:?}");
    }

    #[test]
    fn use_since_a_later_reading_is_nothing_rather_than_an_overflow() {
        let earlier = CpuUse { user: Duration::from_millis(5), system: Duration::from_millis(5), page_faults: 9 };
        assert_eq!(CpuUse::default().since(earlier), CpuUse::default());
    }
}
