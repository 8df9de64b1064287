#include "sim/core/safe_file.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <streambuf>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/error.hpp"

namespace accsim {

namespace {

// Live temporaries, readable from a signal handler: fixed slots, no allocation there.
constexpr int kSlots = 64;
char g_paths[kSlots][PATH_MAX];
std::atomic<int> g_used[kSlots];  // 0 free, 1 being filled, 2 holds a live temporary
std::mutex g_install_mutex;
bool g_installed = false;

extern "C" void remove_temporaries_and_reraise(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i].load() == 2) ::unlink(g_paths[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Installs the cleanup handler only where nobody else handles the signal (sweep installs its own
// graceful-stop handler; its normal unwinding then removes the temporaries).
void install_handlers() {
  std::lock_guard<std::mutex> lock(g_install_mutex);
  if (g_installed) return;
  g_installed = true;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa {};
    sa.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

int claim_slot(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_used[i].compare_exchange_strong(expected, 1)) continue;
    // Filled before it is published (state 2), so a handler never reads a half-written name.
    std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
    g_used[i].store(2);
    return i;
  }
  return -1;
}

// Names the slot's temporary anew (after a name collision): unpublished while rewritten.
void republish(int slot, const std::string& path) {
  g_used[slot].store(1);
  std::memcpy(g_paths[slot], path.c_str(), path.size() + 1);
  g_used[slot].store(2);
}

std::string random_suffix(std::random_device& rd) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(6, 'X');
  for (char& c : s) c = kChars[rd() % (sizeof kChars - 1)];
  return s;
}

mode_t file_mode() {
  static const mode_t mode = [] {
    const mode_t mask = ::umask(022);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

[[noreturn]] void fail(const std::string& path, const std::string& what, const std::string& why) {
  throw InputError(SourceLocation{path, 0, ""}, "cannot write " + what + ": " + why);
}

}  // namespace

class SafeOutputFile::Buf : public std::streambuf {
 public:
  explicit Buf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  bool failed() const { return failed_; }
  int err() const { return err_; }
  int sync() override { return flush_buffer() ? 0 : -1; }

 protected:
  int_type overflow(int_type c) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

 private:
  bool flush_buffer() {
    const char* p = pbase();
    while (p < pptr()) {
      const ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = true;
        err_ = errno;
        return false;
      }
      p += n;
    }
    setp(buf_, buf_ + sizeof buf_);
    return true;
  }
  int fd_;
  bool failed_ = false;
  int err_ = 0;
  char buf_[1 << 16];
};

void check_output_path(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError(what + ": empty output path");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) fail(path, what, "it is a symbolic link (remove it or choose another path)");
    if (!S_ISREG(st.st_mode))
      fail(path, what, S_ISDIR(st.st_mode) ? "it is a directory" : "it exists and is not a regular file");
  } else if (errno != ENOENT) {
    fail(path, what, std::strerror(errno));
  }
  const fs::path parent = fs::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  struct stat dst {};
  if (::stat(dir.c_str(), &dst) != 0) fail(path, what, "folder " + dir + ": " + std::strerror(errno));
  if (!S_ISDIR(dst.st_mode)) fail(path, what, dir + " is not a folder");
}

SafeOutputFile::SafeOutputFile(std::string destination, const std::string& what)
    : dest_(std::move(destination)), what_(what) {
  check_output_path(dest_, what_);
  install_handlers();
  const std::filesystem::path d(dest_);
  const std::string dir = d.parent_path().empty() ? "." : d.parent_path().string();
  std::string name = d.filename().string();
  if (name.size() > 200) name.resize(200);  // room for ".tmp." and the random suffix within NAME_MAX
  // The name is published to the signal handler before the file is created (O_CREAT|O_EXCL|
  // O_NOFOLLOW: never a planted symlink), so a signal at any moment after creation removes it; with
  // mkostemp() a signal between creating the file and publishing its name left it behind.
  const std::string prefix = dir + "/." + name + ".tmp.";
  std::random_device rd;
  for (int attempt = 0;; ++attempt) {
    const std::string candidate = prefix + random_suffix(rd);
    if (slot_ < 0) {
      slot_ = claim_slot(candidate);
    } else {
      republish(slot_, candidate);
    }
    fd_ = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      temp_ = candidate;
      break;
    }
    const int err = errno;
    if (err != EEXIST || attempt >= 100) {
      if (slot_ >= 0) g_used[slot_].store(0);
      fail(dest_, what_, std::string("cannot create a temporary file in ") + dir + ": " + std::strerror(err));
    }
  }
  ::fchmod(fd_, file_mode());
  buf_ = std::make_unique<Buf>(fd_);
  os_ = std::make_unique<std::ostream>(buf_.get());
}

SafeOutputFile::~SafeOutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  if (slot_ >= 0) g_used[slot_].store(0);
}

std::ostream& SafeOutputFile::stream() { return *os_; }

void SafeOutputFile::commit() {
  os_->flush();
  if (!*os_ || buf_->failed())
    fail(dest_, what_, std::string("write failed: ") + std::strerror(buf_->err() ? buf_->err() : EIO));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(dest_, what_, std::string("close failed: ") + std::strerror(errno));
  check_output_path(dest_, what_);  // a device or link planted while we wrote is still refused
  if (::rename(temp_.c_str(), dest_.c_str()) != 0)
    fail(dest_, what_, std::string("cannot move the finished file into place: ") + std::strerror(errno));
  committed_ = true;
}

void write_file_safely(const std::string& path, const std::string& text, const std::string& what) {
  SafeOutputFile f(path, what);
  f.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
  f.commit();
}

}  // namespace accsim
