#pragma once

// The rows the transform hands to the warehouse: the three raw series of one key, each sorted
// by slot (the warehouse joins the clean table from what it stores), and the clean row type.
// Plain values; they cross threads by copy or move.

#include <vector>

#include <QString>
#include <QtGlobal>

namespace Sluice {

// Which series the rows belong to: the key columns of the warehouse tables besides the slot.
// The defaults are what the original tool stored.
struct SeriesKey
{
    QString timeframe = QStringLiteral("5m");
    QString coin = QStringLiteral("BTC"); // coin_price.coin
    QString currency = QStringLiteral("USD"); // coin_price.currency
    QString network = QStringLiteral("BTC"); // network_hash_rate / network_difficulty.network

    friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
};

// One slot of one raw series.
struct SlotValue
{
    qint64 startTimestamp = 0;
    double value = 0;

    friend bool operator==(const SlotValue &, const SlotValue &) = default;
};

// One row of btc_usd_price_with_net_stat (its timeframe is the SlotRows key's): the join of the
// three raw series at one slot.
struct CleanRow
{
    qint64 startTimestamp = 0;
    double price = 0;
    double hashRate = 0;
    double difficulty = 0;

    friend bool operator==(const CleanRow &, const CleanRow &) = default;
};

struct SlotRows
{
    SeriesKey key;
    std::vector<SlotValue> prices; // coin_price
    std::vector<SlotValue> hashRates; // network_hash_rate
    std::vector<SlotValue> difficulties; // network_difficulty
};

} // namespace Sluice
