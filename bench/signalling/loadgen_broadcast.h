// signal_loadgen's `broadcast` mode (loadgen_broadcast.cc): send-message
// fan-out latency in one room, as loadgen.mjs's broadcast.
#ifndef ROOMGATE_BENCH_SIGNALLING_LOADGEN_BROADCAST_H_
#define ROOMGATE_BENCH_SIGNALLING_LOADGEN_BROADCAST_H_

#include <string>
#include <vector>

#include "loadgen_report.h"

namespace loadgen {

// Runs the mode on its own io_context (one thread); tokens[i] is peer i, all
// for the same room. Prints the result line; returns the exit status (0 when
// every delivery arrived, no error came back and every peer stayed open).
int RunBroadcast(const Options& o, std::vector<std::string> tokens);

}  // namespace loadgen

#endif  // ROOMGATE_BENCH_SIGNALLING_LOADGEN_BROADCAST_H_
