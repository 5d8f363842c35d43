#include "steps/stepdatabase.h"

#include <QUrl>

#include "steps/stepcontext.h"

namespace Sluice {

Result<StepDatabase> StepDatabase::resolve(
    const StepContext &context, const std::optional<PositionedText> &written)
{
    StepDatabase database;
    if (!written) {
        database.path = context.warehousePath();
        return database;
    }
    // In a URL written as one, each value is percent-encoded, so that a password from the
    // environment may hold @ : / # ? as it is; a URL that comes whole from a variable
    // (`${env.DATABASE_URL}`) is taken as it is.
    StepContext::Encoder encode;
    if (StoreUrl::isPostgresUrl(written->value)) {
        encode = [](const QString &value) {
            return QString::fromLatin1(QUrl::toPercentEncoding(value));
        };
    }
    Result<QString> text = context.substitute(*written, encode);
    if (!text)
        return text.error();
    if (!StoreUrl::isPostgresUrl(*text)) {
        database.path = context.resolvePath(*text);
        return database;
    }
    Result<StoreUrl> url = StoreUrl::parse(*text);
    if (!url) {
        return Error{ tr("`database:` is not a PostgreSQL URL: %1").arg(url.error().what),
            context.where(), ErrorCode::Permanent };
    }
    database.url = *url;
    return database;
}

} // namespace Sluice
