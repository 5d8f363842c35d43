#pragma once

// A built-in task's name bound to the type of its result, so that the task that makes the
// result and the tasks that read it agree at compile time: a misspelt name does not compile,
// nor does returning or reading another type. The engine carries results as QVariant between
// tasks; only this class wraps and unwraps them. A constant; use it from any thread.

#include <functional>
#include <utility>

#include <QString>
#include <QVariant>

#include "engine/flow.h"
#include "engine/result.h"
#include "engine/taskcontext.h"

namespace Sluice {

template <typename T> class TaskOutput
{
public:
    constexpr explicit TaskOutput(const char *task)
        : m_task(task)
    { }

    QString task() const { return QLatin1String(m_task); }

    // The result the task gave, read by a task that runs downstream of it (else a default T).
    // A retry reuses a result as the text the run history kept of it (outputText()): it is
    // converted back.
    T from(const TaskContext &context) const
    {
        const QVariant result = context.upstream(task());
        Q_ASSERT(!result.isValid() || result.metaType() == QMetaType::fromType<T>()
            || result.metaType() == QMetaType::fromType<QString>());
        return result.template value<T>();
    }

    // The engine's task function for `make`, which returns this task's result or an Error.
    TaskFunction function(std::function<Result<T>(TaskContext &)> make) const
    {
        return [make = std::move(make)](TaskContext &context) -> Result<QVariant> {
            Result<T> made = make(context);
            if (!made)
                return made.error();
            return QVariant::fromValue(std::move(*made));
        };
    }

private:
    const char *m_task;
};

} // namespace Sluice
