#pragma once

#include "records/findcache.h"
#include "schema/metadata.h"

namespace Hearth {

class Engine;
class SqlConnection;

// What one worker thread owns for the API: its database connection and caches.
struct WorkerContext
{
    Engine &engine;
    SqlConnection &db;
    FindCache &findCache;
};

} // namespace Hearth
