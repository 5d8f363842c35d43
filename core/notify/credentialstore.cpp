#include "notify/credentialstore.h"

#include <QMetaObject>
#include <QObject>

#include "settings/datafolder.h"

namespace Sluice {

namespace {

    Error keyringError(const QString &problem)
    {
        return Error{ CredentialStore::tr("no keyring answered: %1").arg(problem),
            CredentialStore::tr("system keyring"), ErrorCode::NoKeyring };
    }

} // namespace

CredentialStore::CredentialStore(const DataFolder &folder)
    : CredentialStore(folder.credentialsPath(), keyringKeyFor(folder))
{ }

CredentialStore::CredentialStore(const QString &filePath, const QString &keyringKey)
    : m_file(filePath)
    , m_keyring(keyringKey)
{ }

CredentialStore CredentialStore::forStore(const DataFolder &folder)
{
    return CredentialStore(
        folder.storeCredentialsPath(), QStringLiteral("store-password ") + folder.path());
}

QString CredentialStore::keyringKeyFor(const DataFolder &folder)
{
    return QStringLiteral("smtp-password ") + folder.path();
}

Result<CredentialStore::Lookup> CredentialStore::readFile(const QString &keyringProblem) const
{
    Lookup lookup;
    lookup.keyringProblem = keyringProblem;
    if (!m_file.exists())
        return lookup;
    Result<QString> password = m_file.read();
    if (!password)
        return password.error();
    lookup.password = *password;
    lookup.location = CredentialLocation::File;
    return lookup;
}

Result<CredentialStore::Lookup> CredentialStore::read(std::chrono::milliseconds timeout) const
{
    const Keyring::Reply reply = m_keyring.read(timeout);
    if (reply.status == Keyring::Status::Ok) {
        Lookup lookup;
        lookup.password = reply.secret;
        lookup.location = CredentialLocation::Keyring;
        return lookup;
    }
    return readFile(reply.problem);
}

void CredentialStore::readAsync(
    QObject *context, LookupCallback done, std::chrono::milliseconds timeout) const
{
    const CredentialStore self = *this;
    m_keyring.readAsync(
        context,
        [self, done](const Keyring::Reply &reply) {
            if (reply.status == Keyring::Status::Ok) {
                Lookup lookup;
                lookup.password = reply.secret;
                lookup.location = CredentialLocation::Keyring;
                done(lookup);
                return;
            }
            done(self.readFile(reply.problem));
        },
        timeout);
}

Result<void> CredentialStore::afterKeyringStore(const Keyring::Reply &reply) const
{
    if (reply.status != Keyring::Status::Ok)
        return keyringError(reply.problem);
    // The keyring now holds the password: a file from before would be a stale plain copy.
    return m_file.remove();
}

Result<void> CredentialStore::store(
    const QString &password, CredentialLocation where, std::chrono::milliseconds timeout) const
{
    switch (where) {
    case CredentialLocation::Keyring:
        return afterKeyringStore(m_keyring.write(password, timeout));
    case CredentialLocation::File: {
        if (Result<void> ok = m_file.write(password); !ok)
            return ok;
        // Read order is keyring first: an old entry there would shadow the new file. When no
        // keyring answers there is nothing to shadow it.
        const Keyring::Reply removed = m_keyring.remove(timeout);
        (void)removed;
        return {};
    }
    case CredentialLocation::None:
        break;
    }
    return remove(timeout);
}

void CredentialStore::storeAsync(const QString &password, CredentialLocation where,
    QObject *context, DoneCallback done, std::chrono::milliseconds timeout) const
{
    const CredentialStore self = *this;
    if (where == CredentialLocation::Keyring) {
        m_keyring.writeAsync(
            password, context,
            [self, done](const Keyring::Reply &reply) { done(self.afterKeyringStore(reply)); },
            timeout);
        return;
    }
    if (where == CredentialLocation::File) {
        if (Result<void> ok = m_file.write(password); !ok) {
            QMetaObject::invokeMethod(
                context, [done, ok] { done(ok); }, Qt::QueuedConnection);
            return;
        }
    } else if (Result<void> ok = m_file.remove(); !ok) {
        QMetaObject::invokeMethod(
            context, [done, ok] { done(ok); }, Qt::QueuedConnection);
        return;
    }
    m_keyring.removeAsync(
        context, [done](const Keyring::Reply &) { done(Result<void>()); }, timeout);
}

Result<void> CredentialStore::remove(std::chrono::milliseconds timeout) const
{
    const Keyring::Reply removed = m_keyring.remove(timeout);
    (void)removed; // NotFound or no keyring: nothing there to remove
    return m_file.remove();
}

QString CredentialStore::describe(CredentialLocation location) const
{
    switch (location) {
    case CredentialLocation::Keyring:
        return tr("the system keyring");
    case CredentialLocation::File:
        return tr("%1 (readable only by you)").arg(m_file.path());
    case CredentialLocation::None:
        break;
    }
    return tr("not set");
}

} // namespace Sluice
