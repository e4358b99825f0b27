#include "query/queryparams.h"

#include "core/apierror.h"
#include "query/optionvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

#include <algorithm>
#include <map>
#include <vector>

namespace Hearth {

namespace {

// How deep any JSON option may nest: a filter, or a deep/aggregate tree holding filters.
int maxOptionNesting(const QueryLimits &limits)
{
    return limits.maxFilterDepth + 2 * (limits.maxDeepDepth + 1);
}

[[noreturn]] void invalidQuery(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid query string: ") + message);
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString decodeComponent(QByteArrayView raw)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            bytes += ' ';
        } else if (c == '%') {
            const int high = i + 2 < raw.size() ? hexDigit(raw[i + 1]) : -1;
            const int low = high >= 0 ? hexDigit(raw[i + 2]) : -1;
            if (low < 0)
                invalidQuery(QStringLiteral("bad percent-encoding"));
            bytes += char(high * 16 + low);
            i += 2;
        } else {
            bytes += c;
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        invalidQuery(QStringLiteral("text is not UTF-8"));
    return text;
}

// One parameter while the query string is read: a value, or keyed children.
struct ParamNode
{
    QJsonValue value =
        QJsonValue::Undefined; // while it has none; a string, or an array of strings when repeated
    std::vector<std::pair<QString, ParamNode>> children;

    ParamNode &child(const QString &key)
    {
        for (auto &[k, node] : children)
            if (k == key)
                return node;
        children.emplace_back(key, ParamNode());
        return children.back().second;
    }

    void setValue(const QString &text)
    {
        if (value.isUndefined()) {
            value = text;
        } else {
            QJsonArray list = value.isArray() ? value.toArray() : QJsonArray{value};
            list.append(text);
            value = list;
        }
    }

    QJsonValue toJson() const
    {
        if (children.empty())
            return value;
        // Keys that are all array indices make an array, in index order (gaps closed).
        std::map<qint64, const ParamNode *> indexed;
        for (const auto &[key, node] : children) {
            bool ok = !key.isEmpty() && key.size() <= 9 && (key.size() == 1 || key.front() != u'0');
            for (QChar c : key)
                ok = ok && c >= u'0' && c <= u'9';
            if (!ok) {
                indexed.clear();
                break;
            }
            indexed.emplace(key.toLongLong(), &node);
        }
        if (!indexed.empty()) {
            QJsonArray array;
            for (const auto &[index, node] : indexed)
                array.append(node->toJson());
            return array;
        }
        QJsonObject object;
        for (const auto &[key, node] : children)
            object.insert(key, node.toJson());
        return object;
    }
};

// "name[a][b][]" -> name and its bracket segments; no brackets (or malformed ones) -> the key itself.
QStringList splitKey(const QString &key)
{
    const qsizetype open = key.indexOf(u'[');
    if (open <= 0 || !key.endsWith(u']'))
        return {key};
    QStringList parts{key.left(open)};
    qsizetype i = open;
    while (i < key.size()) {
        if (key[i] != u'[')
            return {key};
        const qsizetype close = key.indexOf(u']', i + 1);
        if (close < 0)
            return {key};
        const QStringView segment = QStringView(key).mid(i + 1, close - i - 1);
        if (segment.contains(u'['))
            return {key};
        parts << segment.toString();
        i = close + 1;
    }
    return parts;
}

// Refuses JSON nested deeper than maxDepth before parsing it, so no parser
// recursion ever gets near the stack's end.
void checkJsonNesting(const QByteArray &json, int maxDepth, QStringView name)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                throw ApiError::badRequest(
                    QStringLiteral("Invalid %1: nesting deeper than %2").arg(name).arg(maxDepth));
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

// An object option: an object, or its JSON text. Undefined when absent, null or empty text.
QJsonValue objectOption(const QJsonValue &value, QStringView name, int maxDepth)
{
    if (value.isUndefined() || value.isNull())
        return QJsonValue::Undefined;
    if (value.isObject())
        return value;
    if (value.isArray())
        throw ApiError::badRequest(QStringLiteral("Invalid %1: expected an object").arg(name));
    if (!value.isString())
        throw ApiError::badRequest(QStringLiteral("Invalid %1: expected an object").arg(name));
    const QByteArray json = value.toString().toUtf8();
    if (json.trimmed().isEmpty() || json.trimmed() == "null")
        return QJsonValue::Undefined;
    checkJsonNesting(json, maxDepth, name);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(
            QStringLiteral("Invalid %1: %2 at offset %3").arg(name, error.errorString()).arg(error.offset));
    if (document.isNull())
        return QJsonValue::Undefined;
    if (!document.isObject())
        throw ApiError::badRequest(QStringLiteral("Invalid %1: expected an object").arg(name));
    return document.object();
}

bool isEmptyText(const QJsonValue &value)
{
    return value.isString() && value.toString().isEmpty();
}

} // namespace

QJsonObject queryParamsToJson(QByteArrayView rawQuery, const QueryLimits &limits)
{
    const int maxNesting = maxOptionNesting(limits);
    if (rawQuery.startsWith('?'))
        rawQuery = rawQuery.sliced(1);
    ParamNode root;
    qsizetype start = 0;
    while (start <= rawQuery.size()) {
        qsizetype end = rawQuery.indexOf('&', start);
        if (end < 0)
            end = rawQuery.size();
        const QByteArrayView pair = rawQuery.sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QString key = decodeComponent(equals < 0 ? pair : pair.first(equals));
        const QString value = equals < 0 ? QString() : decodeComponent(pair.sliced(equals + 1));
        if (key.isEmpty())
            continue;

        const QStringList path = splitKey(key);
        if (path.size() - 1 > maxNesting)
            throw ApiError::badRequest(QStringLiteral("Invalid query parameter %1: nesting deeper than %2")
                                           .arg(path.front())
                                           .arg(maxNesting));
        ParamNode *node = &root;
        for (qsizetype i = 0; i < path.size(); ++i) {
            QString segment = path[i];
            if (i > 0 && segment.isEmpty()) // "[]" appends
                segment = QString::number(node->children.size());
            node = &node->child(segment);
            const bool last = i + 1 == path.size();
            if ((!last && !node->value.isUndefined()) || (last && !node->children.empty()))
                throw ApiError::badRequest(
                    QStringLiteral("Invalid query parameter %1: given both as a value and with brackets")
                        .arg(path.front()));
        }
        node->setValue(value);
    }
    return root.toJson().toObject();
}

QueryOptions queryOptionsFromJson(const QJsonObject &params, const QueryLimits &limits)
{
    QueryOptions options;
    // A repeated key of the query string arrives as an array of strings.
    auto once = [&](QStringView name) {
        const QJsonValue value = params.value(name);
        const QJsonArray list = value.toArray();
        if (list.size() > 1 &&
            std::all_of(list.begin(), list.end(), [](const QJsonValue &v) { return v.isString(); }))
            throw ApiError::badRequest(QStringLiteral("Invalid %1: given more than once").arg(name));
        return value;
    };

    options.filter = objectOption(once(u"filter"), u"filter", limits.maxFilterDepth);
    options.deep = objectOption(once(u"deep"), u"deep", maxOptionNesting(limits)).toObject();
    options.aggregate = objectOption(once(u"aggregate"), u"aggregate", maxOptionNesting(limits)).toObject();
    options.fields = listOption(params.value(u"fields"), u"fields");
    options.sort = listOption(params.value(u"sort"), u"sort");

    const QJsonValue limit = once(u"limit");
    if (!limit.isUndefined() && !limit.isNull() && !isEmptyText(limit))
        options.limit = integerOption(limit, u"limit", 0);
    const QJsonValue page = once(u"page");
    if (!page.isUndefined() && !page.isNull() && !isEmptyText(page))
        options.page = integerOption(page, u"page", 1);

    const QString meta = listOption(params.value(u"meta"), u"meta");
    for (QStringView token : QStringView(meta).split(u',')) {
        token = token.trimmed();
        if (token.isEmpty())
            continue;
        if (token == u"totalCount")
            options.metaTotalCount = true;
        else if (token == u"filterCount")
            options.metaFilterCount = true;
        else if (token == u"*")
            options.metaTotalCount = options.metaFilterCount = true;
        else
            throw ApiError::badRequest(QStringLiteral("Invalid meta: unknown value %1").arg(token));
    }
    return options;
}

QueryOptions parseQueryParams(QByteArrayView rawQuery, const QueryLimits &limits)
{
    return queryOptionsFromJson(queryParamsToJson(rawQuery, limits), limits);
}

} // namespace Hearth
