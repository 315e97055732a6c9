// contend trace format, version 1: the file header and the records of the
// trace (include <contend/trace_format.h>, which adds the rest). Shared by
// the recorder (preload/) and the reader (analyzer/). The prose description lives in docs/TRACE_FORMAT.md;
// every size here is pinned by a static_assert so that the two stay in step.
//
// All fields are fixed-width little-endian. A file is one FileHeader (with
// its trailing strings), then a sequence of records, each starting with a
// RecordHeader that carries the record's kind and its total size, so that a
// reader can skip kinds it does not know.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace contend::format {

static_assert(std::endian::native == std::endian::little,
              "the trace format is little-endian and written as raw structs");

inline constexpr char kMagic[8] = {'C', 'O', 'N', 'T', 'E', 'N', 'D', '\x1a'};
inline constexpr uint16_t kVersion = 1;

// Every record starts with this byte; anything else where a record should
// begin means the file is corrupt (not merely truncated).
inline constexpr uint8_t kRecordSync = 0xC7;
// Records are 8-byte aligned and never larger than this; a size outside
// [sizeof(RecordHeader), kMaxRecordSize] is corruption.
inline constexpr uint32_t kRecordAlign = 8;
inline constexpr uint32_t kMaxRecordSize = 1u << 20;
// Longest string stored in the header (executable path, command line).
inline constexpr uint32_t kMaxHeaderString = 64u << 10;

enum class ClockSource : uint8_t {
  kMonotonic = 1,  // ticks are CLOCK_MONOTONIC nanoseconds
  kTsc = 2,        // ticks are invariant TSC cycles; see calibration
};

struct FileHeader {
  char magic[8];
  uint16_t version;
  uint16_t reserved0;
  uint32_t header_size;  // bytes, including the trailing strings, multiple of 8
  uint32_t pid;
  uint32_t ppid;
  uint64_t start_realtime_ns;   // CLOCK_REALTIME at start (wall-clock date)
  uint64_t start_monotonic_ns;  // CLOCK_MONOTONIC paired with start_ticks
  uint64_t start_ticks;         // the clock source's value at start
  // Calibration: ns = ticks * calib_ns / calib_ticks. A short measurement
  // taken at start; ClockSync records and the footer refine it.
  uint64_t calib_ticks;
  uint64_t calib_ns;
  uint8_t clock_source;  // ClockSource
  uint8_t reserved1[3];
  uint32_t flags;              // reserved, 0
  uint32_t exe_path_size;      // bytes of the executable path that follow
  uint32_t command_line_size;  // bytes of argv that follow, each NUL-terminated
  // followed by: exe path bytes, command line bytes, zero padding to 8.
};
static_assert(sizeof(FileHeader) == 80);

enum class RecordKind : uint8_t {
  kPadding = 0,  // filler; skipped
  kThreadStart = 1,
  kThreadEnd = 2,
  kWait = 3,
  kLockCounts = 4,
  kClockSync = 5,
  kDrops = 6,
  kThreadName = 7,
  kStack = 8,
  kModule = 9,
  kLockInfo = 10,
  kLockName = 11,
  kHold = 12,
  kRelease = 13,
  kConfig = 14,
  kUntracked = 15,  // LockCountsRecord layout, lock 0: acquisitions no lock table slot could take
  kQuality = 16,    // what the recorder could not record, just before the footer
  kCost = 17,       // what recording costs on this machine, measured at start-up
  // 18..254 reserved.
  kFooter = 255,
};

struct RecordHeader {
  uint8_t sync;  // kRecordSync
  uint8_t kind;  // RecordKind
  uint16_t reserved;
  uint32_t size;  // whole record in bytes, header included, multiple of 8
};
static_assert(sizeof(RecordHeader) == 8);

// What a thread was waiting for. Lock contention kinds come first; the
// analyzer never mixes condition waits into lock contention.
enum class WaitKind : uint8_t {
  kMutex = 1,
  kRwlockRead = 2,
  kRwlockWrite = 3,
  kSpinlock = 4,
  kFutex = 5,
  kSemaphore = 6,
  kCondition = 7,  // waiting for a condition variable (not contention)
};
inline constexpr uint8_t kWaitKindCount = 8;  // valid values are 1..7

struct ThreadStartRecord {
  static constexpr RecordKind kKind = RecordKind::kThreadStart;
  static constexpr const char* kName = "THREAD_START";
  RecordHeader header;
  uint32_t tid;
  uint32_t creator_tid;  // 0 when unknown (threads that existed before us)
  uint64_t time;         // ticks
};
static_assert(sizeof(ThreadStartRecord) == 24);

struct ThreadEndRecord {
  static constexpr RecordKind kKind = RecordKind::kThreadEnd;
  static constexpr const char* kName = "THREAD_END";
  RecordHeader header;
  uint32_t tid;
  uint32_t flags;   // kThreadEnd* bits
  uint64_t time;    // ticks
  uint64_t cpu_ns;  // thread CPU time (0 when not measurable)
  char name[16];    // pthread name, NUL-padded
};
static_assert(sizeof(ThreadEndRecord) == 48);
inline constexpr uint32_t kThreadEndAtProcessExit = 1;  // still running at exit

struct WaitRecord {
  static constexpr RecordKind kKind = RecordKind::kWait;
  static constexpr const char* kName = "WAIT";
  RecordHeader header;
  uint64_t lock;      // address of the primitive waited on
  uint64_t start;     // ticks when the wait began
  uint64_t duration;  // ticks
  uint64_t related;   // condition waits: the mutex; otherwise 0
  uint64_t stack_id;  // 0 = no stack recorded
  uint32_t tid;
  uint32_t owner_tid;  // holder when the primitive exposes it, else 0
  uint32_t lock_generation;
  uint8_t wait_kind;  // WaitKind
  uint8_t flags;      // kWait* bits
  uint16_t reserved;
};
static_assert(sizeof(WaitRecord) == 64);
inline constexpr uint8_t kWaitTimedOut = 1;     // a timed wait gave up (ETIMEDOUT)
inline constexpr uint8_t kWaitInterrupted = 2;  // EINTR or another error: not acquired
inline constexpr uint8_t kWaitStackReused = 4;  // the stack is a walk reused, not made (cost only)

// Per thread and lock acquisition counts. Records are cumulative snapshots:
// for one (tid, table_epoch, lock, generation, wait_kind) only the last one counts.
// An UNTRACKED record has this layout with lock 0 and generation 0: what a
// thread counted for locks its table had no slot for (more locks colliding
// than a probe window holds), summed per wait kind.
struct LockCountsRecord {
  static constexpr RecordKind kKind = RecordKind::kLockCounts;
  static constexpr const char* kName = "LOCK_COUNTS";
  RecordHeader header;
  uint64_t lock;
  uint32_t tid;
  uint32_t lock_generation;
  uint64_t acquisitions;      // successful acquisitions, contended or not
  uint64_t contended;         // acquisitions that had to wait
  uint64_t trylock_failures;  // trylocks that found the lock busy
  uint64_t wakes;             // signal/broadcast, FUTEX_WAKE, sem_post
  uint64_t timeouts;          // timed acquisitions that gave up
  uint32_t table_epoch;       // unique per table incarnation in this process
  uint8_t wait_kind;          // WaitKind of the acquisitions counted
  uint8_t reserved[3];
};
static_assert(sizeof(LockCountsRecord) == 72);
// The same layout under the UNTRACKED kind.
struct UntrackedRecord : LockCountsRecord {
  static constexpr RecordKind kKind = RecordKind::kUntracked;
  static constexpr const char* kName = "UNTRACKED";
};
static_assert(sizeof(UntrackedRecord) == sizeof(LockCountsRecord));

// pthread_setname_np: a thread's name from this time on.
struct ThreadNameRecord {
  static constexpr RecordKind kKind = RecordKind::kThreadName;
  static constexpr const char* kName = "THREAD_NAME";
  RecordHeader header;
  uint32_t tid;
  uint32_t reserved;
  uint64_t time;
  char name[16];
};
static_assert(sizeof(ThreadNameRecord) == 40);

// A (ticks, CLOCK_MONOTONIC) pair; the reader calibrates from the first and
// last pair it sees.
struct ClockSyncRecord {
  static constexpr RecordKind kKind = RecordKind::kClockSync;
  static constexpr const char* kName = "CLOCK_SYNC";
  RecordHeader header;
  uint64_t ticks;
  uint64_t monotonic_ns;
};
static_assert(sizeof(ClockSyncRecord) == 24);

// Records a thread could not queue because its ring was full, by the kind
// of the record lost (RecordKind value; kinds >= 16 count under 0).
inline constexpr uint32_t kDropClasses = 16;
struct DropsRecord {
  static constexpr RecordKind kKind = RecordKind::kDrops;
  static constexpr const char* kName = "DROPS";
  RecordHeader header;
  uint32_t tid;
  uint32_t reserved;
  uint64_t dropped[kDropClasses];
};
static_assert(sizeof(DropsRecord) == 144);

// Followed by `thread_drop_count` ThreadDrops entries (the record's size
// says 56 + 16 * count): every thread that dropped events, with its total.
struct FooterRecord {
  static constexpr RecordKind kKind = RecordKind::kFooter;
  static constexpr const char* kName = "FOOTER";
  RecordHeader header;
  uint64_t end_ticks;
  uint64_t end_monotonic_ns;
  uint64_t dropped_events;      // total over all threads
  uint32_t threads;             // threads seen over the whole run
  uint32_t threads_unprofiled;  // threads that found no free slot
  uint64_t records_written;     // records before the footer
  uint32_t reason;              // FooterReason
  uint32_t thread_drop_count;   // ThreadDrops entries that follow
};
static_assert(sizeof(FooterRecord) == 56);

struct ThreadDrops {
  uint32_t tid;
  uint32_t reserved;
  uint64_t dropped;
};
static_assert(sizeof(ThreadDrops) == 16);
// More threads than this with drops: the rest are summed into one entry
// with tid 0 (their DROPS records have the details).
inline constexpr uint32_t kMaxFooterThreadDrops = 4096;

enum class FooterReason : uint32_t {
  kExit = 1,  // exit(), return from main, _exit
  kExec = 2,  // the process replaced its image; records may follow if exec failed
  kFork = 3,  // reserved
};

// A call stack, written once per distinct stack and referred to by id.
// Followed by `depth` u64 return addresses, innermost first.
struct StackRecord {
  static constexpr RecordKind kKind = RecordKind::kStack;
  static constexpr const char* kName = "STACK";
  RecordHeader header;
  uint64_t id;  // non-zero hash of the frames
  uint32_t depth;
  uint32_t reserved;
};
static_assert(sizeof(StackRecord) == 24);
inline constexpr uint32_t kMaxStackDepth = 64;

// One loaded object (executable, library, plugin) and where it is mapped.
// Followed by `segment_count` ModuleSegments, then `path_size` bytes of
// path, then zero padding to 8.
struct ModuleRecord {
  static constexpr RecordKind kKind = RecordKind::kModule;
  static constexpr const char* kName = "MODULE";
  RecordHeader header;
  uint64_t base;  // load bias: runtime address = base + segment vaddr
  uint64_t time;  // ticks when seen (loaded) or found gone (unloaded)
  uint32_t module_id;
  uint16_t segment_count;
  uint16_t path_size;
  uint8_t build_id_size;
  uint8_t flags;  // kModule* bits
  uint8_t reserved[6];
  uint8_t build_id[32];
};
static_assert(sizeof(ModuleRecord) == 72);
inline constexpr uint8_t kModuleLoaded = 1;
inline constexpr uint8_t kModuleUnloaded = 2;
inline constexpr uint8_t kModuleMainProgram = 4;

struct ModuleSegment {
  uint64_t vaddr;  // p_vaddr of a PT_LOAD segment
  uint64_t memsz;
  uint64_t file_offset;
  uint32_t flags;  // PF_R | PF_W | PF_X
  uint32_t reserved;
};
static_assert(sizeof(ModuleSegment) == 32);

// A lock's identity: its address and generation, what it is, and where it
// was born (the stack of its *_init call, or of its first acquisition).
struct LockInfoRecord {
  static constexpr RecordKind kKind = RecordKind::kLockInfo;
  static constexpr const char* kName = "LOCK_INFO";
  RecordHeader header;
  uint64_t lock;
  uint64_t birth_stack;  // stack id, 0 = none
  uint64_t time;
  uint32_t generation;
  uint32_t tid;
  uint8_t lock_kind;  // WaitKind of the primitive (kRwlockRead for any rwlock)
  uint8_t birth;      // LockBirth
  uint16_t reserved;
  uint32_t reserved2;
};
static_assert(sizeof(LockInfoRecord) == 48);
enum class LockBirth : uint8_t { kInit = 1, kFirstUse = 2 };

// contend_name_lock(): followed by `name_size` bytes, zero padding to 8.
struct LockNameRecord {
  static constexpr RecordKind kKind = RecordKind::kLockName;
  static constexpr const char* kName = "LOCK_NAME";
  RecordHeader header;
  uint64_t lock;
  uint32_t generation;
  uint16_t name_size;
  uint16_t reserved;
};
static_assert(sizeof(LockNameRecord) == 24);
inline constexpr uint32_t kMaxLockName = 256;

// One sampled hold: from acquisition to release, by the acquiring call site.
struct HoldRecord {
  static constexpr RecordKind kKind = RecordKind::kHold;
  static constexpr const char* kName = "HOLD";
  RecordHeader header;
  uint64_t lock;
  uint64_t site;      // return address of the acquiring call
  uint64_t duration;  // ticks
  uint32_t tid;
  uint32_t generation;
  uint8_t wait_kind;  // mutex, rwlock-read, rwlock-write or spinlock
  uint8_t reserved[3];
  uint32_t weight;  // acquisitions this sample stands for (the sampling interval)
};
static_assert(sizeof(HoldRecord) == 48);

// Releases while others waited: the wait that accrued during the holder's
// holds (summed over the waiters), charged to the call site that acquired
// the lock (or, when that is unknown, to the releasing stack). Consecutive
// releases of one lock from one site by one thread are summed into one
// record (`releases` of them).
struct ReleaseRecord {
  static constexpr RecordKind kKind = RecordKind::kRelease;
  static constexpr const char* kName = "RELEASE";
  RecordHeader header;
  uint64_t lock;
  uint64_t time;
  uint64_t caused;        // ticks of waiting charged to this hold
  uint64_t stack_id;      // the releaser's stack
  uint64_t acquire_site;  // return address of the call that acquired the lock, 0 if unknown
  uint32_t tid;
  uint32_t generation;
  uint32_t waiters;  // most threads waiting at one of the releases
  uint8_t wait_kind;
  uint8_t reserved[3];
  uint32_t releases;  // releases summed into this record
  uint32_t reserved2;
};
static_assert(sizeof(ReleaseRecord) == 72);

// How the recorder was set up, written once after the header.
struct ConfigRecord {
  static constexpr RecordKind kKind = RecordKind::kConfig;
  static constexpr const char* kName = "CONFIG";
  RecordHeader header;
  uint32_t hold_sample_every;  // base sampling interval: one acquisition in N has its hold timed
  uint32_t stack_depth;        // frames kept per stack
  uint32_t hold_sample_rate;   // at most this many samples per second and thread (the interval grows)
  uint32_t reserved0;
  uint64_t reserved;
};
static_assert(sizeof(ConfigRecord) == 32);

constexpr const char* wait_kind_name(WaitKind kind) {
  switch (kind) {
    case WaitKind::kMutex: return "mutex";
    case WaitKind::kRwlockRead: return "rwlock-read";
    case WaitKind::kRwlockWrite: return "rwlock-write";
    case WaitKind::kSpinlock: return "spinlock";
    case WaitKind::kFutex: return "futex";
    case WaitKind::kSemaphore: return "semaphore";
    case WaitKind::kCondition: return "condition";
  }
  return "unknown";
}

// The header of a fixed-size record: its kind and size come from its type.
constexpr uint32_t align_up(uint32_t n) {
  return (n + kRecordAlign - 1) & ~(kRecordAlign - 1);
}

}  // namespace contend::format
