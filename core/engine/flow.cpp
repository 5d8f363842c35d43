#include "engine/flow.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QSet>

namespace Sluice {

Flow::Flow(const QString &name, const QString &description)
    : m_name(name)
    , m_description(description)
{ }

void Flow::setSource(const QString &path, const QByteArray &source)
{
    m_sourcePath = path;
    m_source = source;
    m_sourceSha256 = source.isEmpty()
        ? QString()
        : QString::fromLatin1(QCryptographicHash::hash(source, QCryptographicHash::Sha256).toHex());
}

Result<void> Flow::validate()
{
    m_valid = false;
    const QString where = QCoreApplication::translate("Sluice::Flow", "flow \"%1\"").arg(m_name);
    if (m_name.trimmed().isEmpty() || m_name.contains(QLatin1Char(' ')))
        return Error{ QCoreApplication::translate(
                          "Sluice::Flow", "a flow needs a name without spaces, not \"%1\"")
                          .arg(m_name),
            where };
    if (m_tasks.empty())
        return Error{ QCoreApplication::translate("Sluice::Flow", "the flow has no tasks"), where };

    QSet<QString> names;
    for (const ParameterSpec &parameter : m_parameters) {
        if (parameter.name.trimmed().isEmpty() || parameter.name.contains(QLatin1Char('=')))
            return Error{ QCoreApplication::translate(
                              "Sluice::Flow", "a parameter needs a name without \"=\", not \"%1\"")
                              .arg(parameter.name),
                where };
        if (names.contains(parameter.name))
            return Error{ QCoreApplication::translate(
                              "Sluice::Flow", "parameter \"%1\" is declared twice")
                              .arg(parameter.name),
                where };
        names.insert(parameter.name);
        // A default computed when a run starts, or none at all, is checked then.
        const bool fixedDefault = !parameter.defaultFunction
            && !(parameter.required && !parameter.defaultValue.isValid());
        if (Result<QVariant> value = Parameters::convert(parameter, parameter.defaultValue);
            fixedDefault && !value)
            return Error{ QCoreApplication::translate("Sluice::Flow", "the default of %1")
                              .arg(value.error().what),
                where };
    }

    if (Result<void> ok = checkGraph(); !ok)
        return Error{ ok.error().what, where };
    m_valid = true;
    return {};
}

Result<void> Flow::checkGraph()
{
    QHash<QString, int> index;
    for (int i = 0; i < taskCount(); ++i) {
        const TaskSpec &spec = m_tasks[std::size_t(i)];
        if (spec.name.trimmed().isEmpty())
            return Error{
                QCoreApplication::translate("Sluice::Flow", "task %1 has no name").arg(i + 1), {}
            };
        if (index.contains(spec.name))
            return Error{ QCoreApplication::translate(
                              "Sluice::Flow", "task \"%1\" is defined twice")
                              .arg(spec.name),
                {} };
        if (!spec.function)
            return Error{ QCoreApplication::translate(
                              "Sluice::Flow", "task \"%1\" has nothing to run")
                              .arg(spec.name),
                {} };
        if (spec.retry && (spec.retry->retries < 0 || spec.retry->delayMs < 0))
            return Error{ QCoreApplication::translate(
                              "Sluice::Flow", "task \"%1\" has a negative retry count or delay")
                              .arg(spec.name),
                {} };
        index.insert(spec.name, i);
    }
    if (m_retry.retries < 0 || m_retry.delayMs < 0 || m_timeoutMs < 0 || m_taskTimeoutMs < 0)
        return Error{ QCoreApplication::translate(
                          "Sluice::Flow", "the retry policy or a timeout is negative"),
            {} };

    m_upstream = QList<QList<int>>(taskCount());
    m_downstream = QList<QList<int>>(taskCount());
    for (int i = 0; i < taskCount(); ++i) {
        const TaskSpec &spec = m_tasks[std::size_t(i)];
        for (const QString &name : spec.upstream) {
            const auto found = index.constFind(name);
            if (found == index.cend()) {
                return Error{ QCoreApplication::translate("Sluice::Flow",
                                  "task \"%1\" depends on \"%2\", which is not a task of this flow")
                                  .arg(spec.name, name),
                    {} };
            }
            if (m_upstream[i].contains(*found))
                return Error{ QCoreApplication::translate(
                                  "Sluice::Flow", "task \"%1\" names \"%2\" twice as upstream")
                                  .arg(spec.name, name),
                    {} };
            m_upstream[i].append(*found);
            m_downstream[*found].append(i);
        }
    }
    if (const QStringList cycle = findCycle(); !cycle.isEmpty())
        return Error{ QCoreApplication::translate("Sluice::Flow", "the tasks form a cycle: %1")
                          .arg(cycle.join(QStringLiteral(" -> "))),
            {} };
    return {};
}

// Depth-first search without recursion (a chain of 10,000 tasks is a valid flow); returns the
// names along the first cycle found, its first task repeated at the end, or nothing.
QStringList Flow::findCycle() const
{
    enum Color { White, Grey, Black };
    QList<Color> color(taskCount(), White);
    struct Frame
    {
        int task;
        int next; // index into downstreamOf(task)
    };
    for (int root = 0; root < taskCount(); ++root) {
        if (color[root] != White)
            continue;
        QList<Frame> stack{ { root, 0 } };
        color[root] = Grey;
        while (!stack.isEmpty()) {
            Frame &top = stack.last();
            const QList<int> &next = m_downstream[top.task];
            if (top.next == next.size()) {
                color[top.task] = Black;
                stack.removeLast();
                continue;
            }
            const int child = next[top.next++];
            if (color[child] == Grey) {
                QStringList cycle;
                qsizetype start = stack.size() - 1;
                while (stack[start].task != child)
                    --start;
                for (qsizetype i = start; i < stack.size(); ++i)
                    cycle << m_tasks[std::size_t(stack[i].task)].name;
                cycle << m_tasks[std::size_t(child)].name;
                return cycle;
            }
            if (color[child] == White) {
                color[child] = Grey;
                stack.append({ child, 0 });
            }
        }
    }
    return {};
}

int Flow::indexOf(const QString &task) const
{
    for (int i = 0; i < taskCount(); ++i) {
        if (m_tasks[std::size_t(i)].name == task)
            return i;
    }
    return -1;
}

RetryPolicy Flow::retryPolicyOf(int task) const
{
    return m_tasks[std::size_t(task)].retry.value_or(m_retry);
}

int Flow::timeoutOf(int task) const
{
    return m_tasks[std::size_t(task)].timeoutMs.value_or(m_taskTimeoutMs);
}

} // namespace Sluice
