#pragma once

#include <QByteArray>

namespace Hearth {

// Success envelopes of API.md, assembled from JSON text that is already
// serialized (rows come out of SQLite as JSON), so nothing is parsed twice.
namespace Envelope {
// {"statusCode":…,"data":<dataJson>[,"meta":<metaJson>],"message":"Success"}
QByteArray data(int statusCode, const QByteArray &dataJson, const QByteArray &metaJson = {});
// {"statusCode":…,"message":"Success"}
QByteArray success(int statusCode = 200);
} // namespace Envelope

} // namespace Hearth
