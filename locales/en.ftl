# nashra — English. Values marked (html) are already escaped by the code; keep the HTML tags valid.

help =
    <b>nashra</b> — news to your channels and groups.
    I check news sources regularly and post each new article (headline and link) to the chats subscribed to them. Anyone can search everything I have seen.

    <b>Everyone</b>
    /search words — find an article, e.g. <code>/search losses Idlib</code>; also <code>"a phrase"</code>, <code>-word</code>, <code>source:3</code>, <code>after:2026-01-01</code>
    In any chat, type @{ $bot } and words to share an article.
    /latest — the newest articles
    /sources — the sources and their ids
    /subscriptions — what this chat receives

    <b>Chat administrators</b>
    /subscribe — post all sources here (or <code>/subscribe 1 3</code> for some)
    /unsubscribe — stop (or <code>/unsubscribe 3</code>)
    In private: <code>/subscribe @channel</code> for a channel you administer.
    /manage — in private: buttons for each chat you administer (sources, pause, keyword filters, digest, post style, language, link preview, silent posts)
    /lang ar|en|auto — the language of this chat’s posts and replies

    <b>Bot administrators</b>
    /addsource url — add a feed, e.g. <code>/addsource https://example.com/feed</code>
    /removesource id — remove a source
    /resumesource id — resume a source paused after repeated failures
    /setinterval id minutes — check a source at most that often (<code>auto</code> to undo)
    /fulltext id on — read each new article’s page, for feeds that carry only an excerpt
    /export — all sources as an OPML file; send me an OPML file to import sources
    /status — how the sources and the posting are doing

    To use me in a channel: add me as an administrator who may post messages, then send /subscribe in the channel (or <code>/subscribe @channel</code> to me here).

cmd-start = What this bot does
cmd-help = Commands and how to use them
cmd-search = Search the articles: /search words
cmd-latest = The newest articles
cmd-sources = The sources and their ids
cmd-subscribe = Post news to this chat (admins)
cmd-unsubscribe = Stop posting news here (admins)
cmd-subscriptions = What this chat receives
cmd-addsource = Add a source (bot admins)
cmd-removesource = Remove a source (bot admins)

search-usage = Send the words to look for, e.g. <code>/search losses Idlib</code>.
search-nothing = Nothing found for “{ $query }”. Try fewer or other words.
search-results = Results for “{ $query }”:
latest-empty = No articles yet: a bot administrator adds sources with /addsource.
latest-header = The newest articles:
item-meta = { $source } · { $date }

sources-empty = No sources yet. A bot administrator adds one with <code>/addsource url</code>.
sources-header = Sources:
sources-line = <b>{ $id }</b>. { $title } ({ $host }) — { $count ->
        [one] { $items } article
       *[other] { $items } articles
    }{ $status }
sources-status-error = , last check failed: { $error }

not-bot-admin = Only the bot's administrators may add or remove sources.
addsource-usage = Send the address of a feed or site, e.g. <code>/addsource https://example.com/feed</code>.
addsource-added =
    Added <b>{ $title }</b> (id { $id }), with { $count ->
        [one] { $items } article
       *[other] { $items } articles
    }.
    Those are searchable now; articles published from now on will be posted to subscribed chats.
addsource-exists = This source is already there: <b>{ $title }</b> (id { $id }).
addsource-failed = I cannot use { $url }: { $reason }
removesource-usage = Send the id of the source to remove, e.g. <code>/removesource 3</code> (see /sources).
removesource-done = Removed source { $id } ({ $title }).
removesource-not-found = There is no source with id { $id }. See /sources.

source-error-invalid_url = that is not an http or https address.
source-error-blocked_address = it points to a private or local network address, which I may not fetch.
source-error-dns_failed = its host name could not be found.
source-error-timeout = it did not answer in time.
source-error-network = I could not connect to it.
source-error-http_status = the site answered with HTTP status { $status }.
source-error-too_large = the answer is too large.
source-error-too_many_redirects = it redirects too many times.
source-error-not_a_feed = I found no RSS or Atom feed there.
source-error-unknown = something went wrong while reading it.

not-chat-admin = Only an administrator of this chat may change what it receives.
subscribe-private-usage =
    In a private chat, name the channel or group: <code>/subscribe @channel</code> or <code>/subscribe -100…</code>, optionally followed by source ids.
    Or send /subscribe inside the group or channel itself.
subscribe-target-unknown = I cannot see { $target }. Add me to it as an administrator first, then try again.
subscribe-user-not-admin = You are not an administrator of { $chat }.
subscribe-bot-not-admin = I am not an administrator of { $chat } who may post messages. Make me one, then try again.
subscribe-unknown-ids = No source has the id { $ids }. See /sources.
subscribe-done-all = { $chat } will receive new articles from all sources, including sources added later.
subscribe-done-some = { $chat } will receive new articles from: { $sources }.
subscribe-nothing-new = { $chat } already receives that.
unsubscribe-done = { $chat } will no longer receive { $what }.
unsubscribe-what-all = any articles
unsubscribe-what-some = articles from sources { $ids }
unsubscribe-from-all-hint = { $chat } receives all sources. To receive only some, send /unsubscribe, then /subscribe followed by the ids you want (see /sources).
unsubscribe-nothing = { $chat } was not subscribed to that.
this-chat = This chat

subscriptions-none = This chat receives nothing yet. An administrator can send /subscribe.
subscriptions-header = This chat receives:
subscriptions-all = all sources, including future ones
subscriptions-paused = (paused: I cannot post here — make me an administrator again, then /subscribe)
subscriptions-private-none = You have not subscribed any chat yet. Send <code>/subscribe @channel</code>.
subscriptions-private-header = The chats you subscribed:
subscriptions-source = { $title } (id { $id })

unknown-command = I do not know that command. /help lists what I can do.
error-generic = Sorry, something went wrong on my side. Please try again in a moment.

list-separator = {", "}

source-error-gone = the site says this feed is gone for good (HTTP 410).
source-error-hostile_document = the document declares XML entities (a known attack, such as "billion laughs"), so I refuse to read it.
source-error-credentials_in_url = the address contains a user name or password; I do not accept credentials in addresses.

# Source health and scheduling (issue 11)
duration-seconds = { $n } s
duration-minutes = { $n } min
duration-hours = { $n } h
duration-days = { $n ->
        [one] { $n } day
       *[other] { $n } days
    }
sources-health-success = ✓ last read { $ago } ago
sources-health-never = never read yet
sources-health-error = ⚠ failed { $failures ->
        [one] once
       *[other] { $failures } times in a row
    }: { $error }
sources-health-next = next check in { $in }
sources-health-next-now = next check at the next round
sources-health-interval = every { $every } (set by an admin)
sources-health-paused = ⏸ paused after repeated failures (/resumesource { $id })
sources-health-retired = ⛔ retired: the site says the feed is gone
resumesource-usage = Send the id of the source to resume, e.g. <code>/resumesource 3</code> (see /sources).
resumesource-done = Source { $id } ({ $title }) is active again and will be checked at the next round.
setinterval-usage = Send a source id and how often to check it, in minutes (1 to 1440), or <code>auto</code>: e.g. <code>/setinterval 3 30</code>.
setinterval-done = Source { $id } ({ $title }) will be checked every { $every } at most (never more often than the site allows).
setinterval-auto = Source { $id } ({ $title }) is checked automatically again: every round, less often when it rarely publishes or when the site asks.
cmd-resumesource = Resume a paused source (bot admins)
cmd-setinterval = How often to check a source (bot admins)
notice-source-paused =
    ⏸ Source <b>{ $title }</b> (id { $id }) failed { $failures } times in a row and is paused.
    Last error: { $error }
    When it works again, send <code>/resumesource { $id }</code>.
notice-source-retired =
    ⛔ Source <b>{ $title }</b> (id { $id }) is gone: the site answered that the feed was removed for good ({ $error }). It is no longer checked.
    Remove it with <code>/removesource { $id }</code>, or send <code>/resumesource { $id }</code> if it came back.
notice-source-flooding =
    ⚠ Source <b>{ $title }</b> (id { $id }): nearly every entry was new at each of its last { $polls } checks ({ $fresh } of { $entries }). Its feed probably changes its article ids every time.
    Its new articles are still stored and searchable, but no longer posted while this lasts. Check the feed, or remove it with <code>/removesource { $id }</code>.
sources-health-fulltext = full text from the article pages
fulltext-usage = Send a source id and <code>on</code> or <code>off</code>, e.g. <code>/fulltext 3 on</code>: with it on, each new article’s page is read once so search sees its whole text (for feeds that carry only an excerpt).
fulltext-on = Source { $id } ({ $title }): each new article’s page will be read once, so search sees its whole text.
fulltext-off = Source { $id } ({ $title }): only the feed’s own text is used again.
cmd-fulltext = Read whole articles of an excerpt-only source (bot admins)
reply-truncated = <i>… cut short: the rest does not fit in one answer.</i>

cmd-export = Export the sources as an OPML file (bot admins)
export-not-bot-admin = Only the bot's administrators may export the sources.
export-empty = There are no sources to export yet.
export-caption = { $count ->
        [one] { $sources } source
       *[other] { $sources } sources
    }, as OPML: import this file into a feed reader, or send it to another nashra.
opml-not-opml = This file is not an OPML list of feeds. Send an .opml file (or .xml) exported from a feed reader.
opml-too-large = This file is too large: I accept OPML files of up to 1 MB.
opml-hostile = This file declares XML entities (a known attack, such as "billion laughs"), so I refuse to read it.
opml-download-failed = I could not download the file from Telegram. Please send it again.
opml-empty = I found no feed address (xmlUrl) in this file.
opml-progress = Importing sources: { $done }/{ $total } — { $added } added, { $existing } already there, { $refused } refused
opml-done = Import finished: { $count ->
        [one] one source
       *[other] { $total } sources
    } — { $added } added, { $existing } already there, { $refused } refused.
opml-truncated = The file lists more than 5,000 entries: I read only the first 5,000.
opml-skipped = { $count ->
        [one] { $skipped } entry was skipped: its address is not an http(s) address.
       *[other] { $skipped } entries were skipped: their address is not an http(s) address.
    }
opml-refused-header = Refused:
opml-refused-line = { $url } — { $reason }
opml-refused-more = …and { $more } more.
search-page-previous = ‹ Previous
search-page-next = Next ›
search-page-number = Page { $page }
search-page-expired = These results have expired. Please search again.
search-page-foreign = This button is not from one of my answers, so it does nothing.
search-rate-limited = You are searching a little too fast. Please wait a moment, then try again.
search-rate-limited-short = Searching too fast: wait a moment

# /status for bot admins (issue 13)
cmd-status = The bot's health: sources, queue, uptime (bot admins)
status-not-bot-admin = Only the bot's administrators may see its status.
status-private-only = Send /status in your private chat with me: it shows source errors that are not meant for everyone here.
status-header = <b>nashra status</b> · version { $version } · up for { $uptime }
status-sources = Sources: { $active } active, { $paused } paused, { $retired } retired
status-next-poll = Next poll in { $in }
status-next-poll-now = Next poll at the next round
status-next-poll-none = No active source to poll
status-failing-none = No source is failing.
status-failing-header = { $count ->
        [one] One source is failing now:
       *[other] { $n } sources are failing now:
    }
status-failing-line = • { $title } (#{ $id }) · { $failures } failures in a row · { $error }
status-failing-more = …and { $more } more (see /sources).
status-deliveries = Deliveries: { $pending } pending, { $sending } sending, { $sent } sent, { $failed } failed, { $paused } paused
status-queue = Queue: { $depth } waiting, the oldest for { $age }
status-queue-empty = Queue: empty
membership-subscribe-button = Subscribe it to all sources
membership-resumed = I can post in { $chat } again: its subscriptions are back on, and the posts that waited meanwhile will follow.
membership-added-to =
    I can now post in { $chat }. To have it receive new articles from every source, press the button below, or send /subscribe in it.
    For some sources only, send me <code>/subscribe { $ref } 1 3</code> (see /sources for their ids).
notice-chat-paused =
    ⏸ I can no longer post in <b>{ $chat }</b>, so its subscriptions are paused (nothing is lost).
    Telegram said: { $error }
    To resume, make me an administrator there with the right to post messages, then send <code>/subscribe</code> again.
search-page-not-yours = Only whoever searched can turn these pages. Send /search with your own words.

# /manage and /lang (issue 13 §2)
cmd-manage = Manage your channels and groups: sources, filters, digest…
cmd-lang = The language of my answers here: /lang ar or /lang en
manage-private-only = Send /manage to me in a private chat (@{ $bot }): there I list the channels and groups you manage, with their settings.
manage-none = You manage no chat I post to yet. Make me an administrator of your channel or group, then send <code>/subscribe @channel</code> here or /subscribe in it.
manage-list-header = Choose a channel or group to manage:
manage-list-hidden = { $count ->
        [one] One chat you subscribed is not listed: you are no longer an administrator there (or I can no longer see it).
       *[other] { $count } chats you subscribed are not listed: you are no longer an administrator there (or I can no longer see them).
    }
manage-value-onoff = { $value ->
        [on] on
       *[off] off
    }
manage-value-digest = { $value ->
        [hourly] hourly
        [daily] daily
       *[off] off
    }
manage-value-style = { $value ->
        [summary] headline and summary
        [photo] photo with the headline
       *[headline] headline and link
    }
manage-value-language = { $value ->
        [ar] Arabic
        [en] English
       *[auto] automatic
    }
manage-home-posting-on = Posting: ▶️ on
manage-home-posting-paused-admin = Posting: ⏸ paused by an administrator
manage-home-posting-paused-bot = Posting: ⏸ paused, because I cannot post there now
manage-home-sources-all = Sources: all, including sources added later
manage-home-sources-some = Sources: { $count ->
        [one] one source
       *[other] { $count } sources
    }
manage-home-sources-none = Sources: none, so this chat receives nothing
manage-home-filters = Keyword filters: { $include } to include, { $exclude } to exclude
manage-home-digest = Digest: { $value }
manage-home-style = Post style: { $value }
manage-home-language = Language of its posts: { $value }
manage-home-preview = Link preview: { $value }
manage-home-silent = Silent posts: { $value }
manage-button-sources = 📰 Sources
manage-button-pause = ⏸ Pause posting
manage-button-resume = ▶️ Resume posting
manage-button-filters = 🔎 Keyword filters
manage-button-digest = 🗞 Digest
manage-button-style = ✍️ Post style
manage-button-language = 🌐 Language
manage-button-preview = 🔗 Preview: { $value }
manage-button-silent = 🔕 Silent: { $value }
manage-button-back = « Back
manage-button-chats = « All chats
manage-button-close = ✖ Close
manage-button-all-sources = All sources, including new ones
manage-button-previous = ‹ Previous
manage-button-next = Next ›
manage-button-page = { $page }/{ $pages }
manage-button-include = ➕ Words to include ({ $count })
manage-button-exclude = ➖ Words to exclude ({ $count })
manage-button-add-word = ➕ Add a word or phrase
manage-button-remove-word = ✕ { $n }
manage-button-cancel = Cancel
manage-sources-header = The sources this chat receives. Tap one to switch it on or off.
manage-sources-all-note = All sources are on, including sources added later. Tapping one source turns this into a list of your own.
manage-sources-count = { $on } of { $total } sources are on.
manage-sources-empty = There are no sources yet.
manage-sources-nothing = None is on: this chat receives nothing.
manage-filters-header = Keyword filters: words and phrases are matched on the text as search reads it, so words broken on purpose still count. Everything you send is taken literally.
manage-filters-include = Only posts with at least one of: { $words }
manage-filters-include-none = Only posts with…: no words, so every post.
manage-filters-exclude = Never posts with any of: { $words }
manage-filters-exclude-none = Never posts with…: no words.
manage-words-include-header = A post is sent only when it contains at least one of these words or phrases:
manage-words-exclude-header = A post that contains any of these words or phrases is never sent:
manage-words-empty = (none yet)
manage-words-limit = Up to { $max } words or phrases, each up to { $length } characters.
manage-ask-include = Send me, as your next message, a word or phrase to add to the words to include (up to { $length } characters, taken literally).
manage-ask-exclude = Send me, as your next message, a word or phrase to add to the words to exclude (up to { $length } characters, taken literally).
manage-word-added = ✅ Added “{ $word }”.
manage-word-duplicate = “{ $word }” is already in the list.
manage-word-empty = Send a word or a phrase, please.
manage-word-too-long = That is { $length } characters long; a word or phrase may have up to { $max }. Send a shorter one.
manage-words-full = This list is full ({ $max } words or phrases). Remove one first.
manage-word-gone = That word is no longer in the list.
manage-source-gone = That source no longer exists.
manage-digest-header = Off: each article is posted as it arrives. Hourly or daily: one message lists the period’s headlines.
manage-style-header = How each post looks. A photo is used when the article has a picture; otherwise the post is text.
manage-language-header = The language of its posts and of my answers there. Automatic: each person’s own Telegram language, else the bot’s default.
manage-not-admin = You are no longer an administrator there.
manage-chat-gone = I do not know that chat any more. Send /manage again.
manage-bot-cannot-post = I cannot post there. Make me an administrator who may post messages, then try again.
manage-menu-too-old = This menu was too old to change, so I sent a new one.
manage-menu-unknown = This button is from an older menu. Send /manage again.
manage-closed = Menu closed. Send /manage to open it again.
lang-current = The language here: { $language }.
lang-usage = Choose with <code>/lang ar</code> (العربية), <code>/lang en</code> (English) or <code>/lang auto</code> (each person’s own Telegram language). In a group or channel, only an administrator may change it.
lang-set = From now on I answer here in { $language }.
lang-not-admin = Only an administrator of this chat may change its language.
lang-set-auto = From now on I answer here in each person’s own Telegram language (Arabic or English), else in the bot’s default.
digest-heading = 📰 Digest: { $count ->
        [one] { $count } headline
       *[other] { $count } headlines
    }
