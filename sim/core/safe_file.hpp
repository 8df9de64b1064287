#pragma once
// Safe writes for every output accsim produces (run --out, trace, sweep results, merge, report):
//  - the destination is checked before anything is written: its folder must exist and an existing
//    destination must be a regular file (a device, FIFO, directory or symlink there is an error);
//  - data goes to a temporary created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, so never through
//    a planted symlink) with an unpredictable name (6 random characters) in the destination
//    folder, then renamed into place;
//  - the temporary is removed when the write fails or is abandoned, and on SIGINT/SIGTERM (a signal
//    handler unlinks every live temporary, then lets the signal take its default action).
#include <memory>
#include <ostream>
#include <string>

namespace accsim {

// Throws InputError unless `path` can be (re)placed by a regular file. `what` names the output.
void check_output_path(const std::string& path, const std::string& what = "output file");

class SafeOutputFile {
 public:
  explicit SafeOutputFile(std::string destination, const std::string& what = "output file");
  ~SafeOutputFile();  // removes the temporary unless commit() succeeded
  SafeOutputFile(const SafeOutputFile&) = delete;
  SafeOutputFile& operator=(const SafeOutputFile&) = delete;

  std::ostream& stream();
  const std::string& temp_path() const { return temp_; }
  const std::string& destination() const { return dest_; }
  // Flushes, closes and renames the temporary onto the destination (checked again first).
  void commit();

 private:
  class Buf;
  std::string dest_, temp_, what_;
  int fd_ = -1;
  int slot_ = -1;
  bool committed_ = false;
  std::unique_ptr<Buf> buf_;
  std::unique_ptr<std::ostream> os_;
};

// The whole of `text` written safely to `path`.
void write_file_safely(const std::string& path, const std::string& text, const std::string& what = "output file");

}  // namespace accsim
