#include "pages/cachepage.h"

#include "pages/cache/cachekeymodel.h"
#include "pages/cache/cacheoverviewpanel.h"
#include "pages/cache/cachevalueeditor.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/rowlist.h"
#include "widgets/searchfield.h"

#include <QAction>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace Hearth {

namespace {

constexpr int kPageSize = 100; // keys per scan page
constexpr int kPollMs = 1000;  // one chart point per second

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

CachePage::CachePage(QWidget *parent)
    : Page(parent), m_overview(new CacheOverviewPanel(this)), m_pattern(new SearchField(this)),
      m_view(new QTableView(this)), m_empty(new QLabel(m_view->viewport())),
      m_more(new QPushButton(tr("Load more"), this)), m_keys(new CacheKeyModel(this)),
      m_editor(new CacheValueEditor(this)), m_poll(new QTimer(this)), m_patternDelay(new QTimer(this))
{
    setSubtitle(
        tr("What scripts keep in $ctx.$cache: memory, hits and misses, keys, values and time to live."));

    m_pattern->setObjectName(QStringLiteral("patternEdit"));
    m_pattern->setPlaceholderText(tr("Keys like… (Ctrl+F)"));
    m_pattern->setToolTip(tr("A glob: * any text, ? one character, [abc] one of these. "
                             "Text without them finds keys that contain it."));
    m_pattern->setMinimumWidth(240);
    addHeaderWidget(m_pattern);
    m_patternDelay->setSingleShot(true);
    m_patternDelay->setInterval(300); // typing settles before the server is asked
    connect(m_pattern, &QLineEdit::textChanged, m_patternDelay, qOverload<>(&QTimer::start));
    connect(m_pattern, &QLineEdit::returnPressed, this, [this] {
        m_patternDelay->stop();
        loadKeys(false);
    });
    connect(m_patternDelay, &QTimer::timeout, this, [this] { loadKeys(false); });

    auto *newKey = new QAction(tr("New key"), this);
    newKey->setObjectName(QStringLiteral("newKeyAction"));
    newKey->setShortcut(QKeySequence::New);
    newKey->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    newKey->setToolTip(
        tr("Store a new user key (%1)").arg(newKey->shortcut().toString(QKeySequence::NativeText)));
    addAction(newKey);
    addHeaderAction(newKey);
    connect(newKey, &QAction::triggered, this, [this] {
        if (!client())
            return;
        afterEditsAreSettled([this] {
            ++m_entryGeneration;
            {
                const QSignalBlocker blocker(
                    m_view->selectionModel()); // the editor is about to change anyway
                m_view->setCurrentIndex({});
                m_view->clearSelection();
            }
            m_editor->startNewKey();
        });
    });

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    m_overview->setMaximumHeight(260);
    layout->addWidget(m_overview);

    auto *splitter = new QSplitter(Qt::Horizontal, content);
    splitter->setChildrenCollapsible(false);
    auto *list = new QWidget(splitter);
    auto *listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(6);
    m_view->setObjectName(QStringLiteral("cacheKeyView"));
    m_view->setModel(m_keys);
    setUpRowList(m_view);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("Cache keys"));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current, const QModelIndex &previous) {
                const QString key = selectedKey();
                if (m_editor->hasUnsavedChanges() && (key != m_editor->key() || m_editor->isNewKey())) {
                    // Back on the row being edited until the user decides.
                    {
                        const QSignalBlocker blocker(m_view->selectionModel());
                        m_view->setCurrentIndex(previous);
                        if (!previous.isValid())
                            m_view->clearSelection();
                    }
                    m_view->viewport()->update();
                    const int row = current.row();
                    afterEditsAreSettled([this, key, row] {
                        if (m_keys->rowOf(key) == row)
                            m_view->setCurrentIndex(m_keys->index(row, 0));
                    });
                    return;
                }
                if (key.isEmpty())
                    m_editor->setEntry({});
                else if (key != m_editor->key() || m_editor->isNewKey() || !m_editor->hasEntry())
                    loadEntry(key);
            });
    auto *deleteKey = new QAction(tr("Delete key"), m_view);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut); // only while the list has the focus
    m_view->addAction(deleteKey);
    connect(deleteKey, &QAction::triggered, this, [this] {
        if (!selectedKey().isEmpty() && selectedKey() == m_editor->key())
            m_editor->requestDelete(); // user keys only; it asks first
    });
    listLayout->addWidget(m_view, 1);
    m_empty->setObjectName(QStringLiteral("emptyNote"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->hide();
    m_view->viewport()->installEventFilter(this);
    auto *moreRow = new QHBoxLayout;
    moreRow->addStretch(1);
    m_more->setObjectName(QStringLiteral("loadMoreKeys"));
    m_more->setToolTip(tr("The server has more keys matching the pattern: show the next %1").arg(kPageSize));
    m_more->hide();
    connect(m_more, &QPushButton::clicked, this, [this] { loadKeys(true); });
    moreRow->addWidget(m_more);
    listLayout->addLayout(moreRow);

    m_editor->setObjectName(QStringLiteral("cacheValueEditor"));
    splitter->addWidget(list);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({620, 420});
    layout->addWidget(splitter, 1);
    setContentWidget(content);

    connect(m_editor, &CacheValueEditor::saveRequested, this, &CachePage::saveEntry);
    connect(m_editor, &CacheValueEditor::ttlRequested, this, &CachePage::setTtl);
    connect(m_editor, &CacheValueEditor::deleteRequested, this, &CachePage::confirmDelete);
    connect(m_editor, &CacheValueEditor::problem, this,
            [this](const QString &text) { showMessage(text, MessageBar::Warning); });

    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &CachePage::pollOverview);
    paletteChanged();
}

QString CachePage::globFor(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return QStringLiteral("*");
    if (text.contains(u'*') || text.contains(u'?') || text.contains(u'['))
        return text;
    return QStringLiteral("*%1*").arg(text);
}

void CachePage::activate()
{
    m_overview->restartRates();
    const bool refreshes = client() && !hasLoaded(); // refresh() polls as well
    Page::activate();
    if (!refreshes)
        pollOverview();
    m_poll->start(); // polls only while there is a client: a server connected later is polled too
}

void CachePage::deactivate()
{
    Page::deactivate();
    m_poll->stop();
}

void CachePage::refresh()
{
    if (!client())
        return;
    pollOverview();
    loadKeys(false);
    if (m_editor->hasEntry() && !m_editor->isNewKey())
        loadEntry(m_editor->key());
}

void CachePage::save()
{
    m_editor->save();
}

void CachePage::focusFilter()
{
    m_pattern->setFocus(Qt::ShortcutFocusReason);
    m_pattern->selectAll();
}

void CachePage::reset()
{
    ++m_keysGeneration;
    ++m_entryGeneration;
    m_keys->clear();
    m_nextCursor = 0;
    m_keysLoaded = false;
    m_pollFailing = false;
    m_overviewWaiting = false;
    m_overview->clear();
    m_editor->setEntry({});
    updateFooter();
}

void CachePage::pollOverview()
{
    if (!client() || m_overviewWaiting) // a slow server gets one question at a time
        return;
    m_overviewWaiting = true;
    // A Background call: the busy indicator stays still for a poll every second.
    client()->get(
        QStringLiteral("/admin/cache/overview"),
        [this, c = client()](const ApiResult &result) {
            if (c != client())
                return;
            m_overviewWaiting = false;
            if (!result.ok()) {
                if (m_pollFailing) // said once, not every second
                    return;
                m_pollFailing = true;
                if (result.failure().httpStatus == 404)
                    showMessage(tr("This server has no cache monitor (no /admin/cache/overview)."));
                else
                    showError(result.failure(), tr("Could not read the cache overview"));
                return;
            }
            if (m_pollFailing && messageBar()->isShowing())
                clearMessage();
            m_pollFailing = false;
            m_overview->setOverview(result.first(), QDateTime::currentMSecsSinceEpoch());
        },
        this, ApiClient::Background);
}

void CachePage::loadKeys(bool more)
{
    if (!client())
        return;
    const int generation = ++m_keysGeneration;
    const quint64 cursor = more ? m_nextCursor : 0;
    // One arg() call: the encoded pattern may hold "%2A", which a second arg() would take for a marker.
    const QString path =
        QStringLiteral("/admin/cache/keys?pattern=%1&cursor=%2&count=%3")
            .arg(encoded(globFor(m_pattern->text())), QString::number(cursor), QString::number(kPageSize));
    m_more->setEnabled(false);
    client()->get(
        path,
        [this, generation, more, c = client()](const ApiResult &result) {
            if (generation != m_keysGeneration || c != client())
                return;
            m_more->setEnabled(true);
            if (!result.ok()) {
                if (result.failure().httpStatus == 404 &&
                    result.failure().path.startsWith(u"/admin/cache/keys"))
                    showMessage(tr("This server has no cache monitor (GET /admin/cache/keys answered 404)."));
                else
                    showError(result.failure(), tr("Could not list the cache keys"));
                return;
            }
            setLoaded(true);
            const QString selected = selectedKey().isEmpty() ? m_editor->key() : selectedKey();
            if (more)
                m_keys->appendRows(result.data());
            else
                m_keys->setRows(result.data());
            m_nextCursor = quint64(result.meta().value(u"nextCursor").toDouble());
            m_keysLoaded = true;
            for (int c = 1; c < m_keys->columnCount(); ++c)
                m_view->resizeColumnToContents(c);
            if (!selected.isEmpty())
                selectKey(selected);
            updateFooter();
            emit keysLoaded();
        },
        this);
}

void CachePage::selectKey(const QString &key)
{
    const int row = m_keys->rowOf(key);
    if (row < 0)
        return;
    const QSignalBlocker blocker(m_view->selectionModel()); // the editor shows it already
    m_view->setCurrentIndex(m_keys->index(row, 0));
}

QString CachePage::selectedKey() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_keys->row(current.row()).value(u"key").toString() : QString();
}

void CachePage::loadEntry(const QString &key)
{
    if (!client())
        return;
    const int generation = ++m_entryGeneration;
    if (m_editor->key() != key)
        m_editor->showNote(tr("Loading %1…").arg(key));
    client()->get(
        QStringLiteral("/admin/cache/key?key=") + encoded(key),
        [this, generation, key, c = client()](const ApiResult &result) {
            if (generation != m_entryGeneration || c != client())
                return;
            if (!result.ok()) {
                m_editor->setEntry({});
                if (result.httpStatus() == 404)
                    m_editor->showNote(tr("“%1” is gone: it expired, was evicted or deleted.").arg(key));
                else
                    showError(result.failure(), tr("Could not read %1").arg(key));
                return;
            }
            // The same key again (F5): its details are new, a value being edited stays.
            if (m_editor->hasEntry() && !m_editor->isNewKey() && m_editor->key() == key)
                m_editor->updateEntry(result.first());
            else
                m_editor->setEntry(result.first());
        },
        this);
}

void CachePage::saveEntry(const QString &key, const QJsonValue &value, const QJsonValue &ttlMs)
{
    QJsonObject body{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
    if (!ttlMs.isNull())
        body.insert(QStringLiteral("ttlMs"), ttlMs);
    call(
        "POST", QStringLiteral("/admin/cache/key"), body,
        [this, key](const ApiResult &result) {
            ++m_entryGeneration;
            m_editor->setEntry(result.first());
            emit statusMessage(tr("Saved %1").arg(key));
            loadKeys(false); // its size and time to live changed
        },
        tr("Could not save %1").arg(key));
}

void CachePage::setTtl(const QString &key, const QJsonValue &ttlMs)
{
    call(
        "PATCH", QStringLiteral("/admin/cache/key/ttl"),
        QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("ttlMs"), ttlMs}},
        [this, key](const ApiResult &result) {
            ++m_entryGeneration;
            m_editor->updateEntry(result.first()); // unsaved changes to the value stay
            emit statusMessage(result.first().value(u"ttlMs").isNull()
                                   ? tr("%1 never expires now").arg(key)
                                   : tr("New time to live for %1").arg(key));
            loadKeys(false);
        },
        tr("Could not change the time to live of %1").arg(key));
}

QStringList CachePage::unsavedChanges() const
{
    if (!m_editor->hasUnsavedChanges())
        return {};
    return {tr("cache key “%1”").arg(m_editor->key())};
}

void CachePage::afterEditsAreSettled(const std::function<void()> &then)
{
    if (!m_editor->hasUnsavedChanges()) {
        then();
        return;
    }
    const QString key = m_editor->key();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Unsaved value"),
                                m_editor->isNewKey() ? tr("Discard the new key “%1”?").arg(key)
                                                     : tr("Discard the changes to “%1”?").arg(key),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDiscard"));
    box->setInformativeText(tr("The value in the editor has not been saved."));
    QPushButton *discard = box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, discard, then] {
        if (box->clickedButton() != discard)
            return;
        m_editor->discardEdits();
        then();
    });
    box->open();
}

void CachePage::confirmDelete(const QString &key)
{
    // open(), not exec(): no nested event loop, and tests can answer the box.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete cache key"),
                                tr("Delete “%1” from the cache?").arg(key), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDeleteKey"));
    box->setInformativeText(tr("Scripts that read it get null until they set it again."));
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, remove, key] {
        if (box->clickedButton() == remove)
            deleteEntry(key);
    });
    box->open();
}

void CachePage::deleteEntry(const QString &key)
{
    call(
        "DELETE", QStringLiteral("/admin/cache/key?key=") + encoded(key), QJsonValue::Undefined,
        [this, key](const ApiResult &) {
            ++m_entryGeneration;
            if (m_editor->key() == key)
                m_editor->setEntry({});
            emit statusMessage(tr("Deleted %1").arg(key));
            loadKeys(false);
        },
        tr("Could not delete %1").arg(key));
}

void CachePage::updateFooter()
{
    const int shown = m_keys->rowCount();
    m_more->setVisible(m_nextCursor != 0);
    if (!m_keysLoaded) {
        setFooterText(QString());
        m_empty->hide();
        return;
    }
    const QString glob = globFor(m_pattern->text());
    if (shown == 0) {
        m_empty->setText(
            glob == u"*" ? tr("The cache is empty.\nScripts fill it with $ctx.$cache.set(key, value, ttlMs).")
                         : tr("No keys match %1").arg(glob));
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
        m_empty->show();
    } else {
        m_empty->hide();
    }
    QString text = shown == 1 ? tr("1 key") : tr("%1 keys").arg(QLocale().toString(shown));
    if (glob != u"*")
        text += tr(" matching %1").arg(glob);
    if (m_nextCursor != 0)
        text += tr(", more on the server");
    setFooterText(shown == 0 ? QString() : text);
}

void CachePage::paletteChanged()
{
    QPalette muted = m_empty->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_empty->setPalette(muted);
}

bool CachePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
    return Page::eventFilter(watched, event);
}

} // namespace Hearth
