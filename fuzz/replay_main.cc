// Runs a libFuzzer target over saved inputs without libFuzzer, so any compiler
// (g++ included) can replay the seed corpus and past crashes as a plain test:
//
//   token_verify_fuzz_replay fuzz/corpus/token_verify [crash-1234 ...]
//
// Each argument is a file or a directory (its regular files, in name order,
// not recursively). A failing input aborts the process, and the last
// "running" line names it. Exits non-zero when an argument cannot be read or
// nothing was run, so a mistyped corpus path does not pass silently.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// The files an argument names, or an empty list (and a message) if none.
bool ListInputs(const fs::path& arg, std::vector<fs::path>& out) {
  std::error_code ec;
  if (fs::is_regular_file(arg, ec)) {
    out.push_back(arg);
    return true;
  }
  if (!fs::is_directory(arg, ec)) {
    std::cerr << "replay: " << arg.string() << ": no such file or directory\n";
    return false;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(arg, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) {
    std::cerr << "replay: " << arg.string() << ": " << ec.message() << "\n";
    return false;
  }
  std::sort(files.begin(), files.end());
  out.insert(out.end(), files.begin(), files.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR_OR_FILE...\n";
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (!ListInputs(argv[i], inputs)) return 1;
  }
  size_t ran = 0;
  std::string data;
  for (const fs::path& path : inputs) {
    if (!ReadFile(path, data)) {
      std::cerr << "replay: cannot read " << path.string() << "\n";
      return 1;
    }
    std::cerr << "running " << path.string() << " (" << data.size() << " bytes)\n";
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    ++ran;
  }
  std::cout << "replay: ran " << ran << " inputs\n";
  return ran == 0 ? 1 : 0;
}
