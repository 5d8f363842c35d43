#include "steps/httpstep.h"

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include <QUrl>

#include "engine/taskcontext.h"
#include "settings/settings.h"
#include "sources/httpfetcher.h"
#include "sources/jsonnumber.h"
#include "sources/jsonpointer.h"
#include "sources/jsonreader.h"
#include "steps/stepcontext.h"
#include "steps/tableload.h"

namespace Sluice {

namespace {

    // 2^63 as a double: reals in [-2^63, 2^63) convert to qint64 exactly when whole.
    constexpr double Int64Bound = 9223372036854775808.0;
    // Elements read between two looks at the cancellation token.
    constexpr qsizetype CancelCheckRows = 4096;

    struct Column
    {
        QString name;
        QString pointerText;
        JsonPointer pointer;
        ColumnType type = ColumnType::Text;
    };

    QString percentEncoded(const QString &value)
    {
        return QString::fromLatin1(QUrl::toPercentEncoding(value));
    }

    // A number (a JSON number token, or a string that reads wholly as one) for an integer
    // column; the problem otherwise.
    std::optional<QString> readInteger(const QByteArray &number, SqlValue &out)
    {
        if (const std::optional<qint64> integer = JsonNumber::toInt64(number)) {
            out.setInteger(*integer);
            return std::nullopt;
        }
        if (JsonNumber::isIntegerToken(number))
            return HttpStep::tr("%1 is beyond the 64-bit integers").arg(QString::fromUtf8(number));
        const std::optional<double> real = JsonNumber::toDouble(number);
        if (!real || *real != std::trunc(*real) || *real < -Int64Bound || *real >= Int64Bound)
            return HttpStep::tr("%1 is not a whole number").arg(QString::fromUtf8(number));
        out.setInteger(qint64(*real));
        return std::nullopt;
    }

    // The value at node (nullptr: the pointer named nothing) as a column of type stores it,
    // into out; the problem otherwise.
    std::optional<QString> readValue(const JsonNode *node, ColumnType type, SqlValue &out)
    {
        if (!node)
            return HttpStep::tr("there is no value");
        switch (node->type) {
        case JsonNode::Type::Null:
            out = SqlValue();
            return std::nullopt;
        case JsonNode::Type::Boolean:
            if (type == ColumnType::Integer)
                out.setInteger(node->boolean ? 1 : 0);
            else if (type == ColumnType::Text)
                out = SqlValue::utf8(
                    node->boolean ? QByteArrayLiteral("true") : QByteArrayLiteral("false"));
            else
                break;
            return std::nullopt;
        case JsonNode::Type::Number:
        case JsonNode::Type::String:
            if (type == ColumnType::Text) {
                out = SqlValue::utf8(node->text);
                return std::nullopt;
            }
            if (node->isString() && !JsonNumber::isNumber(node->text)) {
                return HttpStep::tr("the string \"%1\" is not a number")
                    .arg(QString::fromUtf8(node->text.left(64)));
            }
            if (type == ColumnType::Integer)
                return readInteger(node->text, out);
            if (const std::optional<double> real = JsonNumber::toDouble(node->text)) {
                out.setReal(*real);
                return std::nullopt;
            }
            return HttpStep::tr("%1 is beyond the real numbers").arg(QString::fromUtf8(node->text));
        case JsonNode::Type::Array:
        case JsonNode::Type::Object:
            break;
        }
        return HttpStep::tr("%1 does not fit a column of type %2")
            .arg(node->typeName(), TableSpec::typeName(type));
    }

    // Values of url and query are percent-encoded; headers and body are plain text, but no
    // header may hold a line break.
    Result<QUrl> requestUrl(const StepContext &context, const HttpSpec &spec)
    {
        Result<QString> text = context.substitute(spec.url, percentEncoded);
        if (!text)
            return text.error();
        QUrl url(*text);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
            || url.host().isEmpty()) {
            return Error{ HttpStep::tr("`url` \"%1\" is not an http:// or https:// URL").arg(*text),
                context.where(), ErrorCode::Permanent };
        }
        QString query = url.query(QUrl::FullyEncoded);
        for (const auto &[key, value] : spec.query) {
            Result<QString> substituted = context.substitute(value);
            if (!substituted)
                return substituted.error();
            if (!query.isEmpty())
                query += QLatin1Char('&');
            query += percentEncoded(key) + QLatin1Char('=') + percentEncoded(*substituted);
        }
        if (!spec.query.isEmpty())
            url.setQuery(query, QUrl::StrictMode);
        return url;
    }

    Result<HttpMessage> requestMessage(const StepContext &context, const HttpSpec &spec)
    {
        HttpMessage message;
        message.method = spec.method.toLatin1();
        for (const auto &[name, value] : spec.headers) {
            Result<QString> substituted = context.substitute(value);
            if (!substituted)
                return substituted.error();
            if (substituted->contains(QLatin1Char('\r')) || substituted->contains(QLatin1Char('\n'))
                || substituted->contains(QChar(0))) {
                return Error{ HttpStep::tr("header `%1` may not hold a line break").arg(name),
                    context.where(), ErrorCode::Permanent };
            }
            message.headers.append({ name.toUtf8(), substituted->toUtf8() });
        }
        if (spec.body) {
            Result<QString> body = context.substitute(*spec.body);
            if (!body)
                return body.error();
            message.body = body->toUtf8();
        }
        return message;
    }

    // A failure with a Retry-After that the engine will try again: wait what the server asked
    // before failing, unless that is more than max-retry-wait (then the step fails for good).
    Error fetchFailed(StepContext &context, Error error, const FetchFailure &failure,
        const SettingValues &settings)
    {
        const StepPolicy &policy = context.step().policy;
        const int retries = policy.retries.value_or(context.flow().defaults.retries.value_or(0));
        if (!failure.retryAfter || !error.isRetryable() || context.task().attempt() > retries)
            return error;
        const qint64 asked = failure.retryAfter->count();
        if (asked > settings.maxRetryWaitSeconds) {
            error.what = HttpStep::tr(
                "%1: the server asks to wait %n s, more than %2 (%3 s)", nullptr, int(asked))
                             .arg(error.what, QString(SettingKey::MaxRetryWaitSeconds),
                                 QString::number(settings.maxRetryWaitSeconds));
            error.code = ErrorCode::Permanent;
            return error;
        }
        if (asked > 0) {
            context.task().warning(HttpStep::tr(
                "%1: the server asks to wait %n s before the next request", nullptr, int(asked))
                                       .arg(error.where));
            context.task().sleep(int(asked * 1000));
        }
        return error;
    }

} // namespace

Result<QVariant> HttpStep::run(StepContext &context)
{
    const HttpSpec &spec = context.step().http;
    TaskContext &task = context.task();
    const auto invalid = [&](const QString &what) {
        return Error{ what, context.where(), ErrorCode::Permanent };
    };

    Result<JsonPointer> rows = JsonPointer::parse(spec.rows);
    if (!rows)
        return invalid(rows.error().what);
    std::vector<Column> columns;
    TableSpec table;
    table.name = spec.into;
    table.key = spec.key;
    table.onConflict = spec.onConflict;
    for (const HttpColumn &written : spec.columns) {
        Result<JsonPointer> pointer = JsonPointer::parse(written.pointer);
        if (!pointer)
            return invalid(tr("column `%1`: %2").arg(written.name, pointer.error().what));
        columns.push_back({ written.name, written.pointer, *pointer, written.type });
        table.columns.append({ written.name, written.type, false });
    }
    if (columns.empty())
        return invalid(
            tr("`http` needs `columns`: each column of %1 and its JSON pointer").arg(spec.into));
    if (Result<void> valid = table.check(); !valid)
        return invalid(valid.error().what);

    Result<QUrl> url = requestUrl(context, spec);
    if (!url)
        return url.error();
    JsonRequest request = JsonRequest::to(*url);
    Result<HttpMessage> message = requestMessage(context, spec);
    if (!message)
        return message.error();
    request.message = *message;
    request.maxBodyBytes = MaxBodyBytes;
    request.rows = *rows;

    const SettingValues settings =
        context.environment().settings ? context.environment().settings->values() : SettingValues();
    SourceOptions options;
    options.proxy = settings.proxy;
    options.timeoutSeconds = settings.timeoutSeconds;
    options.isCancelled = [token = task.token()] { return token.isCancelled(); };
    options.warn = [&task](const QString &text) { task.warning(text); };
    HttpFetcher fetcher(task.network(), options);

    Result<SqliteConnection *> connection = task.database(context.warehousePath());
    if (!connection)
        return connection.error();
    // The transaction begins with the first element, once the whole body is in: the warehouse
    // is not locked while the request waits.
    std::unique_ptr<TableLoad> load;
    const TableWriter::RowName rowName = [&](qint64 row) {
        return JsonPointer::element(spec.rows, row);
    };
    const auto begin = [&]() -> Result<void> {
        Result<std::unique_ptr<TableLoad>> begun = TableLoad::begin(**connection, table, rowName);
        if (!begun)
            return begun.error();
        load = std::move(*begun);
        return {};
    };
    request.onElement = [&](qsizetype index, const JsonNode &element) -> Result<void> {
        if (!load) {
            if (Result<void> begun = begin(); !begun)
                return begun;
        }
        if (index % CancelCheckRows == 0 && task.isCancelled())
            return Error{ tr("cancelled"), context.where(), ErrorCode::Cancelled };
        const std::span<SqlValue> values = load->nextRow();
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const Column &column = columns[c];
            const std::optional<QString> problem =
                readValue(column.pointer.find(element), column.type, values[c]);
            if (problem) {
                return Error{ tr("column `%1` at %2: %3")
                                  .arg(column.name,
                                      JsonPointer::element(spec.rows, index) + column.pointerText,
                                      *problem),
                    context.where(), ErrorCode::Permanent };
            }
        }
        return load->addRow();
    };

    Result<JsonResponse> response = fetcher.fetchJson(request);
    if (!response) {
        load.reset(); // rolls back
        if (fetcher.lastFailure().kind != FetchFailure::Kind::None)
            return fetchFailed(context, response.error(), fetcher.lastFailure(), settings);
        return response.error();
    }
    if (!load) {
        if (Result<void> begun = begin(); !begun)
            return begun.error();
    }
    const qint64 read = load->rowsAdded();
    Result<qint64> stored = load->commit();
    if (!stored)
        return stored.error();
    task.noteStored(spec.into, *stored);
    task.info(tr("stored %n row(s) in %1 (%2 read from %3)", nullptr, int(*stored))
                  .arg(spec.into)
                  .arg(read)
                  .arg(url->toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
    return QVariant(*stored);
}

} // namespace Sluice
