#pragma once
// One SystemC kernel per process, kept alive across runs, so that one process can run many
// simulations (sweep points, test cases). SystemC cannot elaborate modules once simulation has
// started, so nothing per run is an sc_module: a host module with one server thread is elaborated
// on first use; each run is a job the server executes in that thread (where sc_core::wait works),
// and sc_start() returns when the job is done and no event is pending (starvation). Simulated
// time keeps increasing from run to run: blocks measure cycles as differences of
// sc_time_stamp(), never from zero. (64-bit picoseconds: ~5000 hours of simulated time per process.)
#include <functional>

namespace accsim {

// Runs `job` inside the kernel's server thread and returns when it has finished. An exception the
// job throws is rethrown here. Not reentrant: a job must not call run_in_kernel.
void run_in_kernel(const std::function<void()>& job);

}  // namespace accsim
