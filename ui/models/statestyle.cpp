#include "models/statestyle.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace Sluice::StateStyle {

QColor color(RunState state)
{
    switch (state) {
    case RunState::Running:
        return QColor(0x1a, 0x73, 0xe8);
    case RunState::Retrying:
        return QColor(0xe3, 0x74, 0x00);
    case RunState::Completed:
        return QColor(0x1e, 0x8e, 0x3e);
    case RunState::Failed:
    case RunState::TimedOut:
    case RunState::Crashed:
        return QColor(0xc5, 0x22, 0x1f);
    case RunState::Cancelled:
    case RunState::Skipped:
        return QColor(0x80, 0x86, 0x8b);
    case RunState::Scheduled:
    case RunState::Pending:
        break;
    }
    return QColor(0x9a, 0xa0, 0xa6);
}

QIcon icon(RunState state)
{
    static QHash<int, QIcon> cache;
    const auto found = cache.constFind(int(state));
    if (found != cache.cend())
        return *found;
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor fill = color(state);
    painter.setPen(QPen(fill.darker(130), 2));
    painter.setBrush(isFinal(state) || state == RunState::Running || state == RunState::Retrying
            ? fill
            : QColor(Qt::transparent));
    painter.drawEllipse(QRectF(5, 5, 22, 22));
    painter.end();
    const QIcon made(pixmap);
    cache.insert(int(state), made);
    return made;
}

QColor levelColor(LogLevel level)
{
    switch (level) {
    case LogLevel::Warning:
        return QColor(0xb0, 0x60, 0x00);
    case LogLevel::Error:
        return QColor(0xc5, 0x22, 0x1f);
    case LogLevel::Info:
        break;
    }
    return {};
}

QString duration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 60000) {
        return QCoreApplication::translate("Sluice::StateStyle", "%1 s")
            .arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    }
    const qint64 seconds = ms / 1000;
    if (seconds < 3600) {
        return QCoreApplication::translate("Sluice::StateStyle", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    return QCoreApplication::translate("Sluice::StateStyle", "%1 h %2 min")
        .arg(seconds / 3600)
        .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString time(qint64 ms)
{
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace Sluice::StateStyle
