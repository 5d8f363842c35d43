#include "steps/stepdatabase.h"

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
    Result<QString> text = context.substitute(*written);
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
