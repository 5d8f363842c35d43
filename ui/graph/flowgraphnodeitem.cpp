#include "graph/flowgraphnodeitem.h"

#include <cmath>

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QWidget>

#include "engine/displaytext.h"
#include "models/statestyle.h"

namespace Sluice {

namespace {

    constexpr qreal Radius = 6;
    constexpr qreal MinimumWidth = 110;
    constexpr qreal MaximumWidth = 260;

    QFont idFont(const QFont &font)
    {
        QFont bold = font;
        bold.setBold(true);
        return bold;
    }

    QFont statusFont(const QFont &font)
    {
        QFont small = font;
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.85);
        else
            small.setPixelSize(std::max(8, int(small.pixelSize() * 0.85)));
        return small;
    }

    QColor blend(const QColor &a, const QColor &b, qreal amount)
    {
        return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * amount,
            a.greenF() + (b.greenF() - a.greenF()) * amount,
            a.blueF() + (b.blueF() - a.blueF()) * amount);
    }

} // namespace

FlowGraphNodeItem::FlowGraphNodeItem(const FlowGraphNode &node, const QSizeF &size)
    : m_node(node)
    , m_size(size)
{
    setAcceptHoverEvents(true);
    updateToolTip();
}

QSizeF FlowGraphNodeItem::sizeFor(const FlowGraphNode &node, const QFont &font)
{
    const QFontMetricsF id(idFont(font));
    const QFontMetricsF status(statusFont(font));
    // Room for the longest state line ("Retrying · try 10/10 · 59 min 59 s") is not kept:
    // the line is elided, the tooltip has it whole.
    const qreal text = std::max(id.horizontalAdvance(escapeControls(node.id)),
        status.horizontalAdvance(QStringLiteral("Completed · 00:00.0 s")));
    const qreal width = std::clamp(Padding * 3 + IconSize + text + 2, MinimumWidth, MaximumWidth);
    const qreal height = Padding * 2 + id.height() + status.height() + 2;
    return { std::ceil(width), std::ceil(height) };
}

QPalette FlowGraphNodeItem::palette() const
{
    return scene() ? scene()->palette() : QPalette();
}

void FlowGraphNodeItem::setState(RunState state, int attempt, int maxAttempts, qint64 durationMs)
{
    if (m_hasState && m_state == state && m_attempt == attempt && m_maxAttempts == maxAttempts
        && m_durationMs == durationMs)
        return;
    m_hasState = true;
    m_state = state;
    m_attempt = attempt;
    m_maxAttempts = maxAttempts;
    m_durationMs = durationMs;
    updateToolTip();
    update();
}

void FlowGraphNodeItem::clearState()
{
    if (!m_hasState)
        return;
    m_hasState = false;
    m_durationMs = -1;
    updateToolTip();
    update();
}

void FlowGraphNodeItem::setCurrent(bool current)
{
    if (current == m_current)
        return;
    m_current = current;
    update();
}

QColor FlowGraphNodeItem::borderColor() const
{
    if (m_hasState && m_state != RunState::Pending && m_state != RunState::Scheduled)
        return StateStyle::color(m_state);
    const QPalette colors = palette();
    return blend(colors.color(QPalette::Base), colors.color(QPalette::Text), 0.45);
}

QColor FlowGraphNodeItem::fillColor() const
{
    const QColor base = palette().color(QPalette::Base);
    if (!m_hasState || m_state == RunState::Pending || m_state == RunState::Scheduled)
        return base;
    const bool dark = base.lightnessF() < 0.5;
    return blend(base, StateStyle::color(m_state), dark ? 0.35 : 0.18);
}

QString FlowGraphNodeItem::kindText(const QString &kind)
{
    if (kind == QLatin1String("run"))
        return tr("Command");
    if (kind == QLatin1String("sql"))
        return tr("SQL");
    if (kind == QLatin1String("http"))
        return tr("HTTP");
    if (kind == QLatin1String("import"))
        return tr("Import");
    if (kind == QLatin1String("export"))
        return tr("Export");
    if (kind == QLatin1String("email"))
        return tr("Email");
    return tr("Built-in task");
}

QString FlowGraphNodeItem::statusText() const
{
    if (!m_hasState)
        return kindText(m_node.kind);
    QStringList parts{ stateText(m_state) };
    // The attempt once it matters: a retry, or a step running that may be retried.
    const bool active = m_state == RunState::Running || m_state == RunState::Retrying;
    if (m_attempt > 1 || (active && m_maxAttempts > 1 && m_attempt > 0)) {
        parts << (m_maxAttempts > 0 ? tr("try %1/%2").arg(m_attempt).arg(m_maxAttempts)
                                    : tr("try %1").arg(m_attempt));
    }
    if (m_durationMs >= 0)
        parts << StateStyle::duration(m_durationMs);
    return parts.join(QStringLiteral(" · "));
}

void FlowGraphNodeItem::updateToolTip()
{
    QStringList lines{ escapeControls(m_node.id), tr("Kind: %1").arg(kindText(m_node.kind)) };
    if (!m_node.needs.isEmpty())
        lines << tr("Needs: %1").arg(escapeControls(m_node.needs.join(QStringLiteral(", "))));
    if (m_hasState) {
        lines << tr("State: %1").arg(stateText(m_state));
        if (m_attempt > 0) {
            lines << (m_maxAttempts > 0 ? tr("Attempt: %1 of %2").arg(m_attempt).arg(m_maxAttempts)
                                        : tr("Attempt: %1").arg(m_attempt));
        }
        if (m_durationMs >= 0)
            lines << tr("Duration: %1").arg(StateStyle::duration(m_durationMs));
    }
    setToolTip(lines.join(QLatin1Char('\n')));
}

QRectF FlowGraphNodeItem::boundingRect() const
{
    // The ring of the current node is drawn outside the box.
    return QRectF(QPointF(0, 0), m_size).adjusted(-4, -4, 4, 4);
}

void FlowGraphNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *widget)
{
    const QPalette colors = palette();
    const QFont font = widget ? widget->font() : QFont();
    const QRectF box(QPointF(0, 0), m_size);
    painter->setRenderHint(QPainter::Antialiasing);

    if (m_current) {
        painter->setPen(QPen(colors.color(QPalette::Highlight), 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(box.adjusted(-2.5, -2.5, 2.5, 2.5), Radius + 2, Radius + 2);
    }
    const bool stated =
        m_hasState && m_state != RunState::Pending && m_state != RunState::Scheduled;
    painter->setPen(QPen(borderColor(), stated ? 2 : 1));
    painter->setBrush(fillColor());
    painter->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), Radius, Radius);

    const QColor text = colors.color(QPalette::Text);
    const QColor muted = blend(colors.color(QPalette::Base), text, 0.65);
    const QFont id = idFont(font);
    const QFont status = statusFont(font);
    const qreal idHeight = QFontMetricsF(id).height();
    const qreal statusHeight = QFontMetricsF(status).height();
    const qreal top = (m_size.height() - idHeight - statusHeight - 2) / 2;

    const QRectF iconRect(Padding, top + (idHeight - IconSize) / 2, IconSize, IconSize);
    // The state's colour, lighter on a dark background where the fill darkens it.
    const bool dark = colors.color(QPalette::Base).lightnessF() < 0.5;
    const QColor iconColor =
        !stated ? muted : (dark ? borderColor().lighter(150) : borderColor().darker(110));
    paintKindIcon(painter, iconRect, m_node.kind, iconColor);

    const qreal textLeft = Padding * 2 + IconSize;
    const qreal textWidth = m_size.width() - textLeft - Padding;
    painter->setPen(text);
    painter->setFont(id);
    painter->drawText(QRectF(textLeft, top, textWidth, idHeight), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(id).elidedText(escapeControls(m_node.id), Qt::ElideRight, textWidth));
    painter->setPen(stated ? text : muted);
    painter->setFont(status);
    const qreal statusLeft = Padding;
    const qreal statusWidth = m_size.width() - 2 * Padding;
    painter->drawText(QRectF(statusLeft, top + idHeight + 2, statusWidth, statusHeight),
        Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(status).elidedText(statusText(), Qt::ElideRight, statusWidth));
}

void FlowGraphNodeItem::paintKindIcon(
    QPainter *painter, const QRectF &rect, const QString &kind, const QColor &color)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->translate(rect.topLeft());
    painter->scale(rect.width() / 16.0, rect.height() / 16.0);
    QPen pen(color, 1.4);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    if (kind == QLatin1String("run")) {
        // A terminal: a frame with a prompt.
        painter->drawRoundedRect(QRectF(1, 2, 14, 12), 2, 2);
        painter->drawPolyline(QPolygonF({ { 4, 6 }, { 6.5, 8 }, { 4, 10 } }));
        painter->drawLine(QPointF(8, 10.5), QPointF(12, 10.5));
    } else if (kind == QLatin1String("sql")) {
        // A database: a cylinder.
        painter->drawEllipse(QRectF(2.5, 1.5, 11, 4));
        painter->drawLine(QPointF(2.5, 3.5), QPointF(2.5, 12.5));
        painter->drawLine(QPointF(13.5, 3.5), QPointF(13.5, 12.5));
        painter->drawArc(QRectF(2.5, 10.5, 11, 4), 180 * 16, 180 * 16);
        painter->drawArc(QRectF(2.5, 6.5, 11, 4), 180 * 16, 180 * 16);
    } else if (kind == QLatin1String("http")) {
        // A globe.
        painter->drawEllipse(QRectF(1.5, 1.5, 13, 13));
        painter->drawEllipse(QRectF(5, 1.5, 6, 13));
        painter->drawLine(QPointF(1.5, 8), QPointF(14.5, 8));
    } else if (kind == QLatin1String("import") || kind == QLatin1String("export")) {
        // A tray with an arrow going in (import) or out (export).
        painter->drawPolyline(QPolygonF({ { 1.5, 9 }, { 1.5, 14 }, { 14.5, 14 }, { 14.5, 9 } }));
        if (kind == QLatin1String("import")) {
            painter->drawLine(QPointF(8, 1.5), QPointF(8, 10));
            painter->drawPolyline(QPolygonF({ { 4.5, 7 }, { 8, 10.5 }, { 11.5, 7 } }));
        } else {
            painter->drawLine(QPointF(8, 11), QPointF(8, 2));
            painter->drawPolyline(QPolygonF({ { 4.5, 5 }, { 8, 1.5 }, { 11.5, 5 } }));
        }
    } else if (kind == QLatin1String("email")) {
        // An envelope.
        painter->drawRect(QRectF(1.5, 3.5, 13, 9));
        painter->drawPolyline(QPolygonF({ { 1.5, 3.5 }, { 8, 9 }, { 14.5, 3.5 } }));
    } else {
        // A built-in task: a cog.
        painter->drawEllipse(QRectF(5.5, 5.5, 5, 5));
        for (int tooth = 0; tooth < 8; ++tooth) {
            const double angle = tooth * M_PI / 4;
            painter->drawLine(QPointF(8 + 4.2 * std::cos(angle), 8 + 4.2 * std::sin(angle)),
                QPointF(8 + 6.5 * std::cos(angle), 8 + 6.5 * std::sin(angle)));
        }
        painter->drawEllipse(QRectF(3.3, 3.3, 9.4, 9.4));
    }
    painter->restore();
}

} // namespace Sluice
