// Reading a small file whole: a state file (replaced by rename, never
// appended to) or a /proc/sys value (handed out whole on the first read).
#pragma once
#include <string>

namespace pm {

// Reads `fd` into `out` (replacing it) until its end, which a short read
// already marks for such files: no further read to see 0.  false with errno
// set on a read error.  Not for pipes, which read short mid-stream.
bool read_whole_file(int fd, std::string& out);

}  // namespace pm
