#pragma once

#include "shell/page.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace Hearth {

class CacheKeyModel;
class CacheOverviewPanel;
class CacheValueEditor;

// The server's cache (what scripts keep in $ctx.$cache), from /admin/cache/*:
// - the overview (memory against the budget, keys, hit ratio, evictions,
//   expirations) and hits / misses per second over the last minute, polled
//   every second while the page is shown;
// - the keys matching a glob pattern, a page at a time (the scan's cursor);
// - the selected key's value and time to live, editable for user keys (Save,
//   Set time to live, Delete), read-only for the server's own keys.
class CachePage : public Page
{
    Q_OBJECT
public:
    explicit CachePage(QWidget *parent = nullptr);

    Actions actions() const override { return RefreshAction | SaveAction | FilterAction; }
    QStringList unsavedChanges() const override;
    void activate() override;
    void deactivate() override;

    // The glob sent to the server for what is typed: "greet" → "*greet*", "user:*" as it is.
    static QString globFor(const QString &typed);

    CacheOverviewPanel *overview() const { return m_overview; }
    CacheKeyModel *keyModel() const { return m_keys; }
    QTableView *keyView() const { return m_view; }
    CacheValueEditor *editor() const { return m_editor; }
    QLineEdit *patternEdit() const { return m_pattern; }
    bool hasLoadedKeys() const { return m_keysLoaded; }

public slots:
    void refresh() override;
    void save() override;
    void focusFilter() override;

signals:
    // A page of keys arrived (tests wait for it).
    void keysLoaded();

protected:
    void reset() override;
    void paletteChanged() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void pollOverview();
    void loadKeys(bool more);
    void loadEntry(const QString &key);
    void selectKey(const QString &key);
    // Runs then() now, or once the user agreed to drop what the editor holds unsaved.
    void afterEditsAreSettled(const std::function<void()> &then);
    QString selectedKey() const;
    void saveEntry(const QString &key, const QJsonValue &value, const QJsonValue &ttlMs);
    void setTtl(const QString &key, const QJsonValue &ttlMs);
    void confirmDelete(const QString &key);
    void deleteEntry(const QString &key);
    void updateFooter();

    CacheOverviewPanel *m_overview;
    QLineEdit *m_pattern;
    QTableView *m_view;
    QLabel *m_empty;
    QPushButton *m_more;
    CacheKeyModel *m_keys;
    CacheValueEditor *m_editor;
    QTimer *m_poll;
    QTimer *m_patternDelay;
    quint64 m_nextCursor = 0;
    int m_keysGeneration = 0; // answers to an older pattern are ignored
    int m_entryGeneration = 0;
    bool m_keysLoaded = false;
    bool m_pollFailing = false;
    bool m_overviewWaiting = false;
};

} // namespace Hearth
