#include "sim/hw/sim_kernel.hpp"

#include <exception>
#include <stdexcept>

#include <systemc>

namespace accsim {

namespace {

class KernelHost : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(KernelHost);
  explicit KernelHost(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(serve); }

  sc_core::sc_event request;
  std::function<void()> job;
  std::exception_ptr failure;
  bool done = false;

 private:
  void serve() {
    for (;;) {
      // The first job is already queued when the thread first runs (a delta notification made
      // before sc_start() is processed before the thread waits for it), later ones arrive by
      // `request`.
      while (!job) sc_core::wait(request);
      try {
        job();
      } catch (...) {
        failure = std::current_exception();  // an exception must not leave an SC_THREAD
      }
      job = nullptr;
      done = true;
    }
  }
};

KernelHost& host() {
  // Elaborated on first use, before the first sc_start(); never destroyed (it lives as long as
  // the kernel, which SystemC tears down at exit).
  static KernelHost* h = new KernelHost("accsim_host");
  return *h;
}

}  // namespace

void run_in_kernel(const std::function<void()>& job) {
  KernelHost& h = host();
  if (sc_core::sc_is_running() && sc_core::sc_get_status() != sc_core::SC_PAUSED)
    throw std::logic_error("run_in_kernel called from inside a simulation");
  h.job = job;
  h.failure = nullptr;
  h.done = false;
  h.request.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns at starvation: the server waits for the next request
  if (!h.done) throw std::logic_error("simulation job did not finish (pending events?)");
  if (h.failure) std::rethrow_exception(h.failure);
}

}  // namespace accsim
