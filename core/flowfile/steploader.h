#pragma once

// Reads the `steps` list of a flow file into StepDefinitions: the common keys, the one kind key
// and its spec (FLOWS.md "Steps"). Part of FlowLoader; problems go to the YamlReader. Any
// thread.

#include <QList>

#include "flowfile/flowdefinition.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

class StepLoader
{
public:
    explicit StepLoader(YamlReader &reader)
        : m_reader(reader)
    { }

    QList<StepDefinition> load(const YAML::Node &steps, const YAML::Node &key);

    // Reads one of `retries`, `retry-delay`, `backoff`, `timeout` into policy; false when
    // `name` is none of them. The flow's `defaults` use it too.
    bool readPolicy(
        const QString &name, const YAML::Node &value, const YAML::Node &key, StepPolicy &policy);
    static QStringList policyKeys();

private:
    StepDefinition loadStep(const YAML::Node &step, qsizetype index);
    void loadRun(const YAML::Node &value, const YAML::Node &key, RunSpec &spec);
    void loadHttp(const YAML::Node &value, const YAML::Node &key, HttpSpec &spec);
    void loadImport(const YAML::Node &value, const YAML::Node &key, ImportSpec &spec);
    void loadExport(const YAML::Node &value, const YAML::Node &key, ExportSpec &spec);
    void loadEmail(const YAML::Node &value, const YAML::Node &key, EmailSpec &spec);
    std::optional<ColumnType> columnType(
        const YAML::Node &value, const YAML::Node &key, const QString &name);
    std::optional<ConflictRule> conflictRule(const YAML::Node &value, const YAML::Node &key);
    // A map spec of a kind: reported when it is not a map; its keys checked.
    bool isSpecMap(const YAML::Node &value, const YAML::Node &key, const QString &kind,
        const QStringList &allowed);
    // The key columns must be among the columns, when columns are given.
    void checkKeyColumns(
        const QStringList &key, const QStringList &columns, const SourcePosition &position);

    YamlReader &m_reader;
};

} // namespace Sluice
