#pragma once

// Names this process so that another process can tell later whether it still lives: boot id,
// pid and start time on Linux (a reused pid does not match), the pid elsewhere. Any thread.

#include <QString>

namespace Sluice {

class ProcessIdentity
{
public:
    // This process, e.g. "4f0c…:12345:987654".
    static QString current();
    // Whether the process so named is still running; an empty or unreadable identity is not.
    static bool isAlive(const QString &identity);
};

} // namespace Sluice
