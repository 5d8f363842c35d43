#include "flowfile/shellquoter.h"

#include <QCoreApplication>

namespace Sluice {

namespace {

    enum class Context {
        Bare, // the top level
        CommandSubstitution, // $(...): bare words again, until its `)`
        Double, // "..."
        Single, // '...'
        Backquote, // `...`
        Arithmetic, // $((...))
        ParameterExpansion, // the shell's own ${...}, written $${...}
        HereDocument, // the lines after `<<WORD` up to WORD
    };

    struct Frame
    {
        Context context;
        int depth = 0; // open parentheses inside $(...) or $((...))
    };

    struct HereDocument
    {
        QString delimiter;
        bool stripTabs = false; // <<-
    };

    bool isBlank(QChar c)
    {
        return c == u' ' || c == u'\t' || c == u'\n';
    }

    bool isOperator(QChar c)
    {
        return c == u';' || c == u'&' || c == u'|' || c == u'(' || c == u')' || c == u'<'
            || c == u'>';
    }

    // Why a variable cannot stand in a context, or empty when it can.
    QString refusal(Context context)
    {
        switch (context) {
        case Context::Backquote:
            return QCoreApplication::translate("Sluice::FlowFile",
                "a variable inside backquotes cannot be quoted safely; use `$(...)` "
                "instead");
        case Context::Arithmetic:
            return QCoreApplication::translate("Sluice::FlowFile",
                "a variable inside `$((...))` cannot be quoted; use its environment "
                "variable, such as `$SLUICE_PARAM_NAME`");
        case Context::ParameterExpansion:
            return QCoreApplication::translate("Sluice::FlowFile",
                "a variable inside the shell's own `$${...}` cannot be quoted safely");
        case Context::HereDocument:
            return QCoreApplication::translate("Sluice::FlowFile",
                "a variable inside a here-document cannot be quoted; use its environment "
                "variable, such as `$SLUICE_PARAM_NAME`");
        default:
            return {};
        }
    }

} // namespace

QString ShellQuoter::quote(const QString &value)
{
    QString result = value;
    result.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + result + QLatin1Char('\'');
}

ShellQuoter::Substitution ShellQuoter::substitute(
    const QString &text, const std::function<QString(const QString &)> &value)
{
    Substitution result;
    QString &out = result.text;
    QList<Frame> stack = { { Context::Bare } };
    QList<HereDocument> pendingDocuments; // announced by `<<`, their bodies start next line
    bool escaped = false; // the previous character was an unquoted backslash
    bool inComment = false;
    // A `case` inside `$(...)`: its patterns end with a `)` that does not close the
    // substitution, which this scanner cannot tell apart. Every variable after it is refused
    // rather than quoted for a context the shell may not be in.
    bool lostTrack = false;
    const qsizetype size = text.size();
    qsizetype i = 0;

    const auto at = [&](qsizetype index) { return index < size ? text.at(index) : QChar(); };
    const auto top = [&]() -> Frame & { return stack.last(); };

    // After `$`: `$(` opens a command substitution, `$((` an arithmetic expansion.
    const auto openSubstitution = [&]() {
        out += QLatin1Char('(');
        ++i;
        if (at(i) == u'(') {
            out += QLatin1Char('(');
            ++i;
            stack.append({ Context::Arithmetic });
        } else {
            stack.append({ Context::CommandSubstitution });
        }
    };

    while (i < size) {
        const QChar c = text.at(i);
        const Context context = top().context;

        // A here-document body, line by line: the delimiter line ends it.
        if (context == Context::HereDocument && (i == 0 || text.at(i - 1) == u'\n')) {
            qsizetype end = text.indexOf(QLatin1Char('\n'), i);
            if (end < 0)
                end = size;
            QStringView line = QStringView(text).mid(i, end - i);
            if (pendingDocuments.first().stripTabs) {
                while (line.startsWith(u'\t'))
                    line = line.mid(1);
            }
            if (line == pendingDocuments.first().delimiter) {
                out += QStringView(text).mid(i, end - i);
                i = end;
                pendingDocuments.removeFirst();
                if (pendingDocuments.isEmpty())
                    stack.removeLast();
                continue;
            }
        }

        // `$${` is a literal `${` for the shell: its own parameter expansion.
        if (c == u'$' && at(i + 1) == u'$' && at(i + 2) == u'{') {
            out += QStringLiteral("${");
            i += 3;
            escaped = false;
            if (!inComment && context != Context::Single && context != Context::HereDocument
                && context != Context::Backquote)
                stack.append({ Context::ParameterExpansion });
            continue;
        }
        if (c == u'$' && at(i + 1) == u'{') {
            const qsizetype end = VariableTemplate::variableEnd(text, i);
            if (end < 0) {
                result.problems.append({ i,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "unterminated `${`: a variable ends with `}` on the same line; write "
                        "`$${` for a literal `${`") });
                out += QStringLiteral("${");
                i += 2;
                continue;
            }
            const VariableTemplate::Piece piece{ true, text.mid(i + 2, end - i - 3), i, end - i };
            result.variables.append(piece);
            i = end;
            if (inComment) {
                out += QStringView(text).mid(piece.offset, piece.length); // sh ignores it
                continue;
            }
            if (escaped) {
                result.problems.append({ piece.offset,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "a backslash right before `${` would undo the quoting of the value; "
                        "write `$${` for a literal `${`") });
                escaped = false;
                continue;
            }
            if (const QString why = refusal(context); !why.isEmpty()) {
                result.problems.append({ piece.offset, why });
                continue;
            }
            if (lostTrack) {
                result.problems.append({ piece.offset,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "a variable after a `case` inside `$(...)` cannot be quoted safely; use "
                        "its environment variable, such as `$SLUICE_PARAM_NAME`") });
                continue;
            }
            const QString quoted = quote(value ? value(piece.text) : QString());
            if (context == Context::Double)
                out += QLatin1Char('"') + quoted + QLatin1Char('"');
            else if (context == Context::Single)
                out += QLatin1Char('\'') + quoted + QLatin1Char('\'');
            else
                out += quoted;
            continue;
        }

        out += c;
        ++i;
        if (inComment) {
            if (c == u'\n')
                inComment = false;
            else
                continue;
        }
        if (escaped) {
            escaped = false;
            continue;
        }
        switch (context) {
        case Context::Bare:
        case Context::CommandSubstitution:
            if (c == u'\\') {
                escaped = true;
            } else if (c == u'\'') {
                stack.append({ Context::Single });
            } else if (c == u'"') {
                stack.append({ Context::Double });
            } else if (c == u'`') {
                stack.append({ Context::Backquote });
            } else if (c == u'#'
                && (i == 1 || isBlank(text.at(i - 2)) || isOperator(text.at(i - 2)))) {
                inComment = true;
            } else if (c == u'$' && at(i) == u'(') {
                openSubstitution();
            } else if (context == Context::CommandSubstitution && c == u'c'
                && (i == 1 || isBlank(text.at(i - 2)) || isOperator(text.at(i - 2)))
                && QStringView(text).mid(i - 1, 4) == u"case"
                && (i + 3 >= size || isBlank(text.at(i + 3)) || isOperator(text.at(i + 3)))) {
                lostTrack = true;
            } else if (c == u'(' && context == Context::CommandSubstitution) {
                ++top().depth;
            } else if (c == u')' && context == Context::CommandSubstitution) {
                if (top().depth > 0)
                    --top().depth;
                else
                    stack.removeLast();
            } else if (c == u'<' && at(i) == u'<') {
                // `<<WORD` or `<<-WORD`: note the delimiter; copy the operator and word as is.
                out += QLatin1Char('<');
                ++i;
                HereDocument document;
                if (at(i) == u'-') {
                    document.stripTabs = true;
                    out += QLatin1Char('-');
                    ++i;
                }
                while (i < size && (text.at(i) == u' ' || text.at(i) == u'\t'))
                    out += text.at(i++);
                while (i < size && !isBlank(text.at(i)) && !isOperator(text.at(i))) {
                    const QChar w = text.at(i++);
                    out += w;
                    if (w != u'\'' && w != u'"' && w != u'\\')
                        document.delimiter += w;
                }
                if (!document.delimiter.isEmpty())
                    pendingDocuments.append(document);
            } else if (c == u'\n' && !pendingDocuments.isEmpty()) {
                stack.append({ Context::HereDocument });
            }
            break;
        case Context::Double:
            if (c == u'\\') {
                escaped = true;
            } else if (c == u'"') {
                stack.removeLast();
            } else if (c == u'`') {
                stack.append({ Context::Backquote });
            } else if (c == u'$' && at(i) == u'(') {
                openSubstitution();
            }
            break;
        case Context::Single:
            if (c == u'\'')
                stack.removeLast();
            break;
        case Context::Backquote:
            if (c == u'\\')
                escaped = true;
            else if (c == u'`')
                stack.removeLast();
            break;
        case Context::Arithmetic:
            if (c == u'(') {
                ++top().depth;
            } else if (c == u')') {
                if (top().depth > 0) {
                    --top().depth;
                } else if (at(i) == u')') {
                    out += QLatin1Char(')');
                    ++i;
                    stack.removeLast();
                }
            }
            break;
        case Context::ParameterExpansion:
            if (c == u'\\') {
                escaped = true;
            } else if (c == u'}') {
                stack.removeLast();
            } else if (c == u'"') {
                stack.append({ Context::Double });
            } else if (c == u'\'' && stack.size() > 1
                && stack.at(stack.size() - 2).context != Context::Double) {
                stack.append({ Context::Single });
            }
            break;
        case Context::HereDocument:
            break;
        }
    }
    return result;
}

} // namespace Sluice
