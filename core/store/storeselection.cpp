#include "store/storeselection.h"

#include "notify/credentialstore.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice {

Result<StoreSelection> StoreSelection::choose(const QString &option, const Settings &settings)
{
    StoreSelection selection;
    if (!option.isEmpty()) {
        Result<StoreUrl> url = StoreUrl::parse(option, QStringLiteral("--store"));
        if (!url)
            return url.error();
        selection.url = *url;
        selection.source = QStringLiteral("--store");
        return selection;
    }
    const QString key = SettingKey::StoreUrl;
    // A value that does not read stops the caller instead of leaving sqlite in force.
    if (Result<void> given = settings.checkGiven(key); !given)
        return given.error();
    selection.source = settings.sourceText(key);
    Result<StoreUrl> url =
        StoreUrl::parse(settings.text(key), QStringLiteral("%1 (%2)").arg(key, selection.source));
    if (!url)
        return url.error();
    selection.url = *url;
    return selection;
}

Result<void> StoreSelection::addKeptPassword(const DataFolder &folder)
{
    if (!url.isPostgres() || url.hasPassword())
        return {};
    Result<CredentialStore::Lookup> kept =
        CredentialStore::forStore(folder).read(std::chrono::seconds(5));
    if (!kept)
        return kept.error();
    if (kept->location != CredentialLocation::None)
        url.setPassword(kept->password);
    return {};
}

} // namespace Sluice
