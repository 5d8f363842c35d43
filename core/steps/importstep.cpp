#include "steps/importstep.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

#include "engine/taskcontext.h"
#include "steps/pgtableload.h"
#include "steps/stepcontext.h"
#include "steps/stepdatabase.h"
#include "steps/tableload.h"
#include "storage/csvreader.h"
#include "store/pgconnection.h"

namespace Sluice {

namespace {

    // Records read between two looks at the cancellation token and the progress.
    constexpr qint64 CheckRows = 8192;

    // A field of a number column read in place, without a text copy: "42" for integer, "1.5"
    // for real. False when the field is not that plain (then the writer is handed the text and
    // judges it by its own rules, naming the row and column when it does not fit).
    bool readNumber(std::string_view field, ColumnType type, SqlValue &value)
    {
        const char *end = field.data() + field.size();
        if (type == ColumnType::Integer) {
            qint64 integer = 0;
            const auto [at, error] = std::from_chars(field.data(), end, integer);
            if (error != std::errc() || at != end)
                return false;
            value.setInteger(integer);
            return true;
        }
        double real = 0;
        const auto [at, error] = std::from_chars(field.data(), end, real);
        if (error != std::errc() || at != end || !std::isfinite(real))
            return false;
        value.setReal(real);
        return true;
    }

    // Where each column of the table is in a record: from the header's names, else by position.
    Result<std::vector<int>> fieldsOf(const QList<ImportColumn> &columns, const QStringList &header,
        bool hasHeader, const QString &file)
    {
        std::vector<int> fields;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (!hasHeader) {
                fields.push_back(int(i));
                continue;
            }
            qsizetype found = header.indexOf(columns.at(i).name);
            if (found < 0) {
                for (qsizetype h = 0; h < header.size() && found < 0; ++h) {
                    if (header.at(h).compare(columns.at(i).name, Qt::CaseInsensitive) == 0)
                        found = h;
                }
            }
            if (found < 0) {
                return Error{ ImportStep::tr("the header of %1 has no column `%2` (it has %3)")
                                  .arg(file, columns.at(i).name, header.join(QStringLiteral(", "))),
                    QString(), ErrorCode::Permanent };
            }
            fields.push_back(int(found));
        }
        return fields;
    }

} // namespace

Result<QVariant> ImportStep::run(StepContext &context)
{
    const ImportSpec &spec = context.step().import;
    TaskContext &task = context.task();
    const auto fail = [&](Error error) {
        error.where = error.where.isEmpty() ? context.where() : error.where;
        return error;
    };

    Result<QString> file = context.substitute(spec.file);
    if (!file)
        return file.error();
    const QString path = context.resolvePath(*file);
    if (spec.delimiter.unicode() == 0 || spec.delimiter.unicode() > 127)
        return fail(
            Error{ tr("the delimiter must be one ASCII character"), {}, ErrorCode::Permanent });
    Result<CsvReader> opened = CsvReader::open(path, char(spec.delimiter.unicode()));
    if (!opened)
        return fail(Error{ opened.error().what, path, ErrorCode::Permanent });
    CsvReader &reader = *opened;

    QStringList header;
    if (spec.header) {
        Result<bool> first = reader.next();
        if (!first)
            return fail(Error{ first.error().what, first.error().where, ErrorCode::Permanent });
        if (*first) {
            for (const std::string_view field : reader.fields())
                header << QString::fromUtf8(field.data(), qsizetype(field.size())).trimmed();
        }
    }
    // Without `columns`, every column of the header, as text.
    QList<ImportColumn> columns = spec.columns;
    if (columns.isEmpty()) {
        if (!spec.header)
            return fail(
                Error{ tr("`import` without a header needs `columns`"), {}, ErrorCode::Permanent });
        for (const QString &name : std::as_const(header))
            columns.append({ name, ColumnType::Text, {} });
    }
    Result<std::vector<int>> fields = fieldsOf(columns, header, spec.header, *file);
    if (!fields)
        return fail(fields.error());

    std::vector<qint64> lines; // of each row added, for messages
    TableSpec table;
    table.name = spec.into;
    table.key = spec.key;
    table.onConflict = spec.onConflict;
    for (const ImportColumn &column : std::as_const(columns))
        table.columns.append({ column.name, column.type, false });

    Result<StepDatabase> database = StepDatabase::resolve(context, spec.database);
    if (!database)
        return database.error();
    const auto rowName = [&](qint64 row) {
        return QStringLiteral("%1:%2").arg(*file).arg(lines.at(std::size_t(row)));
    };
    // Every record into the load, then its commit: the same for SQLite and PostgreSQL.
    const auto fill = [&](auto &load) -> Result<qint64> {
        std::vector<ColumnType> types;
        for (const ImportColumn &column : std::as_const(columns))
            types.push_back(column.type);
        const std::size_t needed = fields->empty()
            ? 0
            : std::size_t(*std::max_element(fields->begin(), fields->end())) + 1;
        while (true) {
            Result<bool> more = reader.next();
            if (!more)
                return fail(Error{ more.error().what, more.error().where, ErrorCode::Permanent });
            if (!*more)
                break;
            const std::vector<std::string_view> &record = reader.fields();
            if (record.size() < needed) {
                return fail(Error{
                    tr("%1:%2: %n field(s), expected at least %3", nullptr, int(record.size()))
                        .arg(*file)
                        .arg(reader.line())
                        .arg(needed),
                    {}, ErrorCode::Permanent });
            }
            lines.push_back(reader.line());
            const std::span<SqlValue> values = load.nextRow();
            for (std::size_t c = 0; c < values.size(); ++c) {
                const std::string_view field = record[std::size_t((*fields)[c])];
                if (types[c] != ColumnType::Text) {
                    if (field.empty()) {
                        values[c] = SqlValue(); // NULL
                        continue;
                    }
                    if (readNumber(field, types[c], values[c]))
                        continue;
                }
                values[c] = SqlValue::utf8(QByteArray(field.data(), qsizetype(field.size())));
            }
            if (Result<void> added = load.addRow(); !added)
                return fail(added.error());
            if (qint64(lines.size()) % CheckRows == 0) {
                if (task.isCancelled())
                    return fail(Error{ tr("cancelled"), {}, ErrorCode::Cancelled });
                task.setProgress(reader.position(), reader.size());
            }
        }
        Result<qint64> stored = load.commit();
        if (!stored)
            return fail(stored.error());
        return stored;
    };

    Result<qint64> stored = qint64(0);
    if (database->isPostgres()) {
        // A connection of this attempt's own, on this thread; closed when the attempt ends.
        Result<PgConnection> connection =
            PgConnection::open(*database->url, QStringLiteral("import-step"));
        if (!connection) {
            return fail(
                Error{ tr("%1 (database %2)").arg(connection.error().what, database->shown()), {},
                    connection.error().code });
        }
        Result<std::unique_ptr<PgTableLoad>> load = PgTableLoad::begin(*connection, table, rowName);
        if (!load)
            return fail(load.error());
        stored = fill(**load);
    } else {
        Result<SqliteConnection *> connection = task.database(database->path);
        if (!connection)
            return connection.error();
        Result<std::unique_ptr<TableLoad>> load = TableLoad::begin(**connection, table, rowName);
        if (!load)
            return fail(load.error());
        stored = fill(**load);
    }
    if (!stored)
        return stored.error();
    const qint64 read = qint64(lines.size());
    task.setProgress(reader.size(), reader.size());
    // Rows of the warehouse changed: the views showing the table re-read it.
    if (!database->isPostgres() && database->path == context.warehousePath())
        task.noteStored(spec.into, *stored);
    task.info(tr("stored %n row(s) in %1 (%2 read from %3)", nullptr, int(*stored))
                  .arg(spec.into)
                  .arg(read)
                  .arg(*file));
    return QVariant(*stored);
}

} // namespace Sluice
