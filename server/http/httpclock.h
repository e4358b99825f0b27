#pragma once

#include <QtGlobal>

#include <chrono>

namespace Hearth {

// Monotonic milliseconds with one reference for every thread, so the IO
// thread can compare a worker's timestamps with its own clock.
inline qint64 monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace Hearth
