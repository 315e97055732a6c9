// A std::sync::Mutex held for 20 ms while another thread blocks on it, five
// times. Rust's standard library locks through futexes (syscall(SYS_futex)),
// so the profiler sees these waits as futex waits on the mutex's word. The
// waiter locks in add_two, the function its report must name.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[inline(never)]
fn add_two(lock: &Mutex<u64>) {
    *lock.lock().unwrap() += 2;
}

fn main() {
    let lock = Arc::new(Mutex::new(0u64));
    let phase = Arc::new(AtomicUsize::new(0));
    let rounds = 5;
    let (l2, p2) = (Arc::clone(&lock), Arc::clone(&phase));
    let waiter = thread::spawn(move || {
        for i in 0..rounds {
            while p2.load(Ordering::SeqCst) != 3 * i + 1 {
                thread::sleep(Duration::from_micros(20));
            }
            p2.store(3 * i + 2, Ordering::SeqCst);
            add_two(&l2);
            p2.store(3 * i + 3, Ordering::SeqCst);
        }
    });
    for i in 0..rounds {
        let mut guard = lock.lock().unwrap();
        *guard += 1;
        phase.store(3 * i + 1, Ordering::SeqCst);
        while phase.load(Ordering::SeqCst) != 3 * i + 2 {
            thread::sleep(Duration::from_micros(20));
        }
        thread::sleep(Duration::from_millis(20));
        drop(guard);
        while phase.load(Ordering::SeqCst) != 3 * i + 3 {
            thread::sleep(Duration::from_micros(20));
        }
    }
    waiter.join().unwrap();
    println!("rust mutex total {}", *lock.lock().unwrap());
}
