# نشرة — العربية. القيم المعلّمة (html) تهرّبها الشيفرة؛ حافظ على صحة وسوم HTML.

help =
    <b>نشرة</b> — الأخبار إلى قنواتك ومجموعاتك.
    أتابع مصادر الأخبار بانتظام وأنشر كل مقال جديد (العنوان والرابط) في المحادثات المشتركة فيها، ويمكن لأي أحد البحث في كل ما رأيته.

    <b>للجميع</b>
    /search كلمات — ابحث عن مقال، مثل <code>/search خسائر إدلب</code>؛ وأيضًا <code>"عبارة"</code> و<code>-كلمة</code> و<code>source:3</code> و<code>after:2026-01-01</code>
    في أي محادثة اكتب @{ $bot } ثم كلمات لمشاركة مقال.
    /latest — أحدث المقالات
    /sources — المصادر وأرقامها
    /subscriptions — ما تتلقاه هذه المحادثة

    <b>لمشرفي المحادثة</b>
    /subscribe — انشر كل المصادر هنا (أو <code>/subscribe 1 3</code> لبعضها)
    /unsubscribe — أوقف النشر (أو <code>/unsubscribe 3</code>)
    في المحادثة الخاصة: <code>/subscribe @channel</code> لقناة تشرف عليها.
    /manage — في المحادثة الخاصة: أزرار لكل محادثة تشرف عليها (المصادر، الإيقاف، كلمات التصفية، الملخّص الدوري، شكل المنشور، اللغة، معاينة الروابط، النشر الصامت)
    /lang ar|en|auto — لغة منشورات هذه المحادثة وردودها

    <b>لمشرفي البوت</b>
    /addsource رابط — أضف مصدرًا، مثل <code>/addsource https://example.com/feed</code>
    /removesource رقم — احذف مصدرًا
    /resumesource رقم — استأنف مصدرًا أُوقف بعد إخفاقات متكررة
    /setinterval رقم دقائق — افحص مصدرًا بهذا التواتر على الأكثر (<code>auto</code> للإلغاء)
    /fulltext رقم on — اقرأ صفحة كل مقال جديد، للخلاصات التي لا تحمل إلا مقتطفًا
    /export — كل المصادر في ملف OPML؛ وأرسل إليّ ملف OPML لاستيراد مصادر
    /status — حال المصادر والنشر

    لاستخدامي في قناة: أضفني مشرفًا يستطيع نشر الرسائل، ثم أرسل /subscribe في القناة (أو <code>/subscribe @channel</code> إليّ هنا).

cmd-start = ما الذي يفعله هذا البوت
cmd-help = الأوامر وطريقة استخدامها
cmd-search = ابحث في المقالات: /search كلمات
cmd-latest = أحدث المقالات
cmd-sources = المصادر وأرقامها
cmd-subscribe = انشر الأخبار في هذه المحادثة (للمشرفين)
cmd-unsubscribe = أوقف نشر الأخبار هنا (للمشرفين)
cmd-subscriptions = ما تتلقاه هذه المحادثة
cmd-addsource = أضف مصدرًا (لمشرفي البوت)
cmd-removesource = احذف مصدرًا (لمشرفي البوت)

search-usage = أرسل الكلمات التي تبحث عنها، مثل <code>/search خسائر إدلب</code>.
search-nothing = لم أجد شيئًا عن «{ $query }». جرّب كلمات أقل أو غيرها.
search-results = نتائج «{ $query }»:
latest-empty = لا مقالات بعد: يضيف مشرفو البوت المصادر بالأمر /addsource.
latest-header = أحدث المقالات:
item-meta = { $source } · { $date }

sources-empty = لا مصادر بعد. يضيف مشرف البوت مصدرًا بالأمر <code>/addsource رابط</code>.
sources-header = المصادر:
sources-line = <b>{ $id }</b>. { $title } ({ $host }) — { $count ->
        [zero] لا مقالات
        [one] مقال واحد
        [two] مقالان
        [few] { $items } مقالات
       *[other] { $items } مقالًا
    }{ $status }
sources-status-error = ، فشل آخر فحص: { $error }

not-bot-admin = إضافة المصادر وحذفها لمشرفي البوت فقط.
addsource-usage = أرسل عنوان الخلاصة أو الموقع، مثل <code>/addsource https://example.com/feed</code>.
addsource-added =
    أُضيف <b>{ $title }</b> (رقم { $id })، وفيه { $count ->
        [zero] لا مقالات
        [one] مقال واحد
        [two] مقالان
        [few] { $items } مقالات
       *[other] { $items } مقالًا
    }.
    يمكن البحث فيها الآن، وستُنشر المقالات التي تصدر من الآن في المحادثات المشتركة.
addsource-exists = هذا المصدر موجود من قبل: <b>{ $title }</b> (رقم { $id }).
addsource-failed = لا أستطيع استخدام { $url }: { $reason }
removesource-usage = أرسل رقم المصدر الذي تريد حذفه، مثل <code>/removesource 3</code> (انظر /sources).
removesource-done = حُذف المصدر { $id } ({ $title }).
removesource-not-found = لا يوجد مصدر برقم { $id }. انظر /sources.

source-error-invalid_url = هذا ليس عنوان http أو https.
source-error-blocked_address = يشير إلى عنوان في شبكة خاصة أو محلية، ولا يُسمح لي بجلبه.
source-error-dns_failed = لم يُعثر على اسم المضيف.
source-error-timeout = لم يُجب في الوقت المحدد.
source-error-network = تعذّر الاتصال به.
source-error-http_status = أجاب الموقع برمز HTTP { $status }.
source-error-too_large = الرد أكبر من المسموح.
source-error-too_many_redirects = يعيد التوجيه مرات كثيرة.
source-error-not_a_feed = لم أجد هناك خلاصة RSS أو Atom.
source-error-unknown = حدث خطأ أثناء قراءته.

not-chat-admin = تغيير ما تتلقاه هذه المحادثة لمشرفيها فقط.
subscribe-private-usage =
    في المحادثة الخاصة، اذكر القناة أو المجموعة: <code>/subscribe @channel</code> أو <code>/subscribe -100…</code>، ويمكن أن تتبعها أرقام المصادر.
    أو أرسل /subscribe داخل المجموعة أو القناة نفسها.
subscribe-target-unknown = لا أستطيع رؤية { $target }. أضفني إليها مشرفًا أولًا، ثم حاول مجددًا.
subscribe-user-not-admin = لست مشرفًا في { $chat }.
subscribe-bot-not-admin = لست مشرفًا في { $chat } يستطيع نشر الرسائل. اجعلني مشرفًا ثم حاول مجددًا.
subscribe-unknown-ids = لا يوجد مصدر بالرقم { $ids }. انظر /sources.
subscribe-done-all = ستتلقى { $chat } المقالات الجديدة من كل المصادر، ومنها المصادر التي تُضاف لاحقًا.
subscribe-done-some = ستتلقى { $chat } المقالات الجديدة من: { $sources }.
subscribe-nothing-new = { $chat } تتلقى ذلك من قبل.
unsubscribe-done = لن تتلقى { $chat } { $what } بعد الآن.
unsubscribe-what-all = أي مقالات
unsubscribe-what-some = مقالات المصادر { $ids }
unsubscribe-from-all-hint = تتلقى { $chat } كل المصادر. لتلقي بعضها فقط، أرسل /unsubscribe ثم /subscribe متبوعًا بأرقام المصادر التي تريدها (انظر /sources).
unsubscribe-nothing = لم تكن { $chat } مشتركة في ذلك.
this-chat = هذه المحادثة

subscriptions-none = لا تتلقى هذه المحادثة شيئًا بعد. يستطيع المشرف إرسال /subscribe.
subscriptions-header = تتلقى هذه المحادثة:
subscriptions-all = كل المصادر، ومنها المصادر المستقبلية
subscriptions-paused = (متوقف: لا أستطيع النشر هنا — اجعلني مشرفًا مجددًا ثم أرسل /subscribe)
subscriptions-private-none = لم تشترك أي محادثة بعد. أرسل <code>/subscribe @channel</code>.
subscriptions-private-header = المحادثات التي اشتركتَ بها:
subscriptions-source = { $title } (رقم { $id })

unknown-command = لا أعرف هذا الأمر. يعرض /help ما أستطيع فعله.
error-generic = عذرًا، حدث خطأ من جهتي. حاول مجددًا بعد قليل.

list-separator = {"، "}

source-error-gone = يقول الموقع إن هذه الخلاصة أُزيلت نهائيًا (HTTP 410).
source-error-hostile_document = المستند يعرّف كيانات XML (وهو أسلوب هجوم معروف مثل «مليار ضحكة»)، لذا أرفض قراءته.
source-error-credentials_in_url = العنوان يتضمن اسم مستخدم أو كلمة مرور، ولا أقبل بيانات الدخول داخل العناوين.

# Source health and scheduling (issue 11)
duration-seconds = { $n } ثانية
duration-minutes = { $n ->
        [one] دقيقة واحدة
        [two] دقيقتان
        [few] { $n } دقائق
       *[other] { $n } دقيقة
    }
duration-hours = { $n ->
        [one] ساعة واحدة
        [two] ساعتان
        [few] { $n } ساعات
       *[other] { $n } ساعة
    }
duration-days = { $n ->
        [one] يوم واحد
        [two] يومان
        [few] { $n } أيام
       *[other] { $n } يومًا
    }
sources-health-success = ✓ آخر قراءة قبل { $ago }
sources-health-never = لم يُقرأ بعد
sources-health-error = ⚠ { $failures ->
        [one] فشلت القراءة مرة
        [two] فشلت القراءة مرتين متتاليتين
        [few] فشلت القراءة { $failures } مرات متتالية
       *[other] فشلت القراءة { $failures } مرة متتالية
    }: { $error }
sources-health-next = الفحص التالي بعد { $in }
sources-health-next-now = الفحص التالي في الجولة القادمة
sources-health-interval = كل { $every } (حدّده مشرف)
sources-health-paused = ⏸ موقوف بعد إخفاقات متكررة (/resumesource { $id })
sources-health-retired = ⛔ متقاعد: أعلن الموقع أن الخلاصة أُزيلت
resumesource-usage = أرسل رقم المصدر لاستئنافه، مثلًا <code>/resumesource 3</code> (انظر /sources).
resumesource-done = عاد المصدر { $id } ({ $title }) إلى العمل، وسيُفحص في الجولة القادمة.
setinterval-usage = أرسل رقم المصدر وكل كم دقيقة يُفحص (من 1 إلى 1440)، أو <code>auto</code>: مثلًا <code>/setinterval 3 30</code>.
setinterval-done = سيُفحص المصدر { $id } ({ $title }) كل { $every } على الأكثر (ولا أكثر مما يسمح به الموقع).
setinterval-auto = عاد فحص المصدر { $id } ({ $title }) تلقائيًا: في كل جولة، وأقل حين يندر نشره أو حين يطلب الموقع ذلك.
cmd-resumesource = استئناف مصدر موقوف (لمشرفي البوت)
cmd-setinterval = كل كم يُفحص مصدر (لمشرفي البوت)
notice-source-paused =
    ⏸ فشلت قراءة المصدر <b>{ $title }</b> (رقم { $id }) { $failures } مرات متتالية، فأُوقف.
    آخر خطأ: { $error }
    حين يعود للعمل أرسل <code>/resumesource { $id }</code>.
notice-source-retired =
    ⛔ المصدر <b>{ $title }</b> (رقم { $id }) لم يعد موجودًا: أجاب الموقع بأن الخلاصة أُزيلت نهائيًا ({ $error }). لن يُفحص بعد الآن.
    احذفه بـ <code>/removesource { $id }</code>، أو أرسل <code>/resumesource { $id }</code> إن عاد.
notice-source-flooding =
    ⚠ المصدر <b>{ $title }</b> (رقم { $id }): كانت كل مداخله تقريبًا جديدة في آخر { $polls } فحوص ({ $fresh } من { $entries }). يبدو أن خلاصته تغيّر معرّفات مقالاتها في كل مرة.
    ما زالت مقالاته الجديدة تُحفظ ويمكن البحث فيها، لكنها لا تُنشر ما دام ذلك مستمرًا. افحص الخلاصة، أو احذفه بـ <code>/removesource { $id }</code>.
sources-health-fulltext = النص الكامل من صفحات المقالات
fulltext-usage = أرسل رقم المصدر ثم <code>on</code> أو <code>off</code>، مثلًا <code>/fulltext 3 on</code>: عند التفعيل تُقرأ صفحة كل مقال جديد مرة واحدة ليشمل البحث نصه كاملًا (للخلاصات التي لا تحمل إلا مقتطفًا).
fulltext-on = المصدر { $id } ({ $title }): ستُقرأ صفحة كل مقال جديد مرة واحدة ليشمل البحث نصه كاملًا.
fulltext-off = المصدر { $id } ({ $title }): عاد الاعتماد على نص الخلاصة وحده.
cmd-fulltext = قراءة المقالات كاملة لمصدر لا ينشر إلا مقتطفات (لمشرفي البوت)
reply-truncated = <i>… اختُصر الرد: ما تبقّى أطول من أن يتّسع له رد واحد.</i>

cmd-export = صدّر المصادر في ملف OPML (لمشرفي البوت)
export-not-bot-admin = تصدير المصادر لمشرفي البوت فقط.
export-empty = لا توجد مصادر لتصديرها بعد.
export-caption = { $count ->
        [zero] لا مصادر
        [one] مصدر واحد
        [two] مصدران
        [few] { $sources } مصادر
       *[other] { $sources } مصدرًا
    } بصيغة OPML: استورد هذا الملف في قارئ خلاصات، أو أرسله إلى بوت نشرة آخر.
opml-not-opml = هذا الملف ليس قائمة خلاصات بصيغة OPML. أرسل ملف ‎.opml (أو ‎.xml) مصدَّرًا من قارئ خلاصات.
opml-too-large = هذا الملف كبير جدًا: أقبل ملفات OPML حتى 1 ميغابايت.
opml-hostile = هذا الملف يعرّف كيانات XML (وهو هجوم معروف مثل «مليار ضحكة»)، لذلك أرفض قراءته.
opml-download-failed = تعذّر عليّ تنزيل الملف من تيليغرام. أرسله مرة أخرى من فضلك.
opml-empty = لم أجد في هذا الملف أي عنوان خلاصة (xmlUrl).
opml-progress = جارٍ استيراد المصادر: { $done }/{ $total } — أُضيف { $added }، موجود من قبل { $existing }، مرفوض { $refused }
opml-done = انتهى الاستيراد: { $count ->
        [one] مصدر واحد
        [two] مصدران
        [few] { $total } مصادر
       *[other] { $total } مصدرًا
    } — أُضيف { $added }، موجود من قبل { $existing }، مرفوض { $refused }.
opml-truncated = في الملف أكثر من 5000 مدخل: قرأت أول 5000 فقط.
opml-skipped = { $count ->
        [one] تخطّيت مدخلًا واحدًا: عنوانه ليس عنوان http(s).
        [two] تخطّيت مدخلين: عنواناهما ليسا عنوانَي http(s).
        [few] تخطّيت { $skipped } مدخلات: عناوينها ليست عناوين http(s).
       *[other] تخطّيت { $skipped } مدخلًا: عناوينها ليست عناوين http(s).
    }
opml-refused-header = المرفوض:
opml-refused-line = { $url } — { $reason }
opml-refused-more = …و{ $more } غيرها.
search-page-previous = ‹ السابق
search-page-next = التالي ›
search-page-number = صفحة { $page }
search-page-expired = انتهت صلاحية هذه النتائج. ابحث من جديد من فضلك.
search-page-foreign = هذا الزر ليس من إجاباتي، فلا عمل له.
search-rate-limited = تبحث بسرعة كبيرة قليلًا. انتظر لحظة من فضلك ثم أعد المحاولة.
search-rate-limited-short = بحث سريع جدًا: انتظر لحظة

# /status for bot admins (issue 13)
cmd-status = حالة البوت: المصادر والطابور ومدة التشغيل (لمشرفي البوت)
status-not-bot-admin = لا يطّلع على حالة البوت إلا مشرفوه.
status-private-only = أرسل /status في محادثتك الخاصة معي: فهو يعرض أخطاء المصادر، وهي ليست لكل من هنا.
status-header = <b>حالة نشرة</b> · الإصدار { $version } · يعمل منذ { $uptime }
status-sources = المصادر: النشطة { $active } · الموقوفة { $paused } · المتوقفة نهائيًا { $retired }
status-next-poll = الفحص التالي بعد { $in }
status-next-poll-now = الفحص التالي في الجولة القادمة
status-next-poll-none = لا يوجد مصدر نشط لفحصه
status-failing-none = لا يتعثر أي مصدر الآن.
status-failing-header = { $count ->
        [one] مصدر واحد متعثر الآن:
        [two] مصدران متعثران الآن:
        [few] { $n } مصادر متعثرة الآن:
       *[other] { $n } مصدرًا متعثرًا الآن:
    }
status-failing-line = • { $title } (رقم { $id }) · مرات الفشل المتتالية: { $failures } · { $error }
status-failing-more = …ومصادر أخرى عددها { $more } (انظر /sources).
status-deliveries = الرسائل: بانتظار الإرسال { $pending } · قيد الإرسال { $sending } · أُرسلت { $sent } · فشلت { $failed } · معلّقة { $paused }
status-queue = الطابور: { $depth } بانتظار الإرسال، أقدمها ينتظر منذ { $age }
status-queue-empty = الطابور: فارغ
membership-subscribe-button = اشترك في كل المصادر
membership-resumed = عدتُ أستطيع النشر في { $chat }: استُؤنفت اشتراكاتها، وستُنشر المقالات التي انتظرت في الأثناء.
membership-added-to =
    أستطيع الآن النشر في { $chat }. لتتلقى المقالات الجديدة من كل المصادر، اضغط الزر أدناه، أو أرسل /subscribe فيها.
    ولتتلقى بعض المصادر فقط، أرسل إليّ <code>/subscribe { $ref } 1 3</code> (أرقام المصادر في /sources).
notice-chat-paused =
    ⏸ لم أعد أستطيع النشر في <b>{ $chat }</b>، فأوقفتُ اشتراكاتها مؤقتًا (لن يضيع شيء).
    ردّ تيليجرام: { $error }
    لاستئنافها اجعلني مشرفًا هناك بصلاحية نشر الرسائل، ثم أرسل <code>/subscribe</code> من جديد.
search-page-not-yours = وحده من أجرى البحث يستطيع تقليب هذه الصفحات. أرسل /search مع كلماتك.

# /manage و /lang (المسألة 13 §2)
cmd-manage = إدارة قنواتك ومجموعاتك: المصادر والمرشحات والملخص…
cmd-lang = لغة ردودي هنا: ‎/lang ar أو ‎/lang en
manage-private-only = أرسل /manage إليّ في محادثة خاصة (@{ $bot }): هناك أعرض القنوات والمجموعات التي تديرها مع إعداداتها.
manage-none = لا تدير بعدُ أي محادثة أنشر فيها. اجعلني مشرفًا في قناتك أو مجموعتك، ثم أرسل هنا <code>/subscribe @channel</code> أو أرسل /subscribe فيها.
manage-list-header = اختر قناة أو مجموعة لإدارتها:
manage-list-hidden = { $count ->
        [one] محادثة واحدة اشتركتَ لها لا تظهر هنا: لم تعد مشرفًا فيها (أو لم أعد أستطيع رؤيتها).
        [two] محادثتان اشتركتَ لهما لا تظهران هنا: لم تعد مشرفًا فيهما (أو لم أعد أستطيع رؤيتهما).
        [few] { $count } محادثات اشتركتَ لها لا تظهر هنا: لم تعد مشرفًا فيها (أو لم أعد أستطيع رؤيتها).
       *[other] { $count } محادثة اشتركتَ لها لا تظهر هنا: لم تعد مشرفًا فيها (أو لم أعد أستطيع رؤيتها).
    }
manage-value-onoff = { $value ->
        [on] مفعّل
       *[off] معطّل
    }
manage-value-digest = { $value ->
        [hourly] كل ساعة
        [daily] كل يوم
       *[off] معطّل
    }
manage-value-style = { $value ->
        [summary] العنوان والملخص
        [photo] صورة مع العنوان
       *[headline] العنوان والرابط
    }
manage-value-language = { $value ->
        [ar] العربية
        [en] الإنجليزية
       *[auto] تلقائية
    }
manage-home-posting-on = النشر: ▶️ مستمر
manage-home-posting-paused-admin = النشر: ⏸ أوقفه أحد المشرفين مؤقتًا
manage-home-posting-paused-bot = النشر: ⏸ متوقف مؤقتًا لأني لا أستطيع النشر هناك الآن
manage-home-sources-all = المصادر: كلها، ومعها المصادر التي تضاف لاحقًا
manage-home-sources-some = المصادر: { $count ->
        [one] مصدر واحد
        [two] مصدران
        [few] { $count } مصادر
       *[other] { $count } مصدرًا
    }
manage-home-sources-none = المصادر: لا شيء، فلا يصل إلى هذه المحادثة شيء
manage-home-filters = مرشحات الكلمات: { $include } للتضمين، { $exclude } للاستبعاد
manage-home-digest = الملخص الدوري: { $value }
manage-home-style = شكل المنشور: { $value }
manage-home-language = لغة منشوراتها: { $value }
manage-home-preview = معاينة الرابط: { $value }
manage-home-silent = منشورات صامتة: { $value }
manage-button-sources = 📰 المصادر
manage-button-pause = ⏸ أوقف النشر مؤقتًا
manage-button-resume = ▶️ استأنف النشر
manage-button-filters = 🔎 مرشحات الكلمات
manage-button-digest = 🗞 الملخص الدوري
manage-button-style = ✍️ شكل المنشور
manage-button-language = 🌐 اللغة
manage-button-preview = 🔗 المعاينة: { $value }
manage-button-silent = 🔕 صامت: { $value }
manage-button-back = » رجوع
manage-button-chats = » كل المحادثات
manage-button-close = ✖ إغلاق
manage-button-all-sources = كل المصادر، ومعها الجديدة
manage-button-previous = ‹ السابق
manage-button-next = التالي ›
manage-button-page = { $page }/{ $pages }
manage-button-include = ➕ كلمات للتضمين ({ $count })
manage-button-exclude = ➖ كلمات للاستبعاد ({ $count })
manage-button-add-word = ➕ أضف كلمة أو عبارة
manage-button-remove-word = ✕ { $n }
manage-button-cancel = إلغاء
manage-sources-header = المصادر التي تتلقاها هذه المحادثة. اضغط مصدرًا لتفعيله أو تعطيله.
manage-sources-all-note = كل المصادر مفعّلة، ومعها ما يضاف لاحقًا. الضغط على مصدر واحد يحوّلها إلى قائمة تختارها بنفسك.
manage-sources-count = المفعّل { $on } من { $total } مصدرًا.
manage-sources-empty = لا مصادر بعد.
manage-sources-nothing = لا مصدر مفعّلًا: لا يصل إلى هذه المحادثة شيء.
manage-filters-header = مرشحات الكلمات: تُطابَق الكلمات والعبارات على النص كما يقرؤه البحث، فتُحتسب الكلمات المقطّعة عمدًا أيضًا. كل ما ترسله يؤخذ حرفيًا.
manage-filters-include = لا يُنشر إلا ما فيه واحدة على الأقل من: { $words }
manage-filters-include-none = لا يُنشر إلا ما فيه…: لا كلمات، فيُنشر كل شيء.
manage-filters-exclude = لا يُنشر أبدًا ما فيه أيٌّ من: { $words }
manage-filters-exclude-none = لا يُنشر أبدًا ما فيه…: لا كلمات.
manage-words-include-header = لا يُنشر المنشور إلا إذا احتوى واحدة على الأقل من هذه الكلمات أو العبارات:
manage-words-exclude-header = لا يُنشر أبدًا منشور يحتوي أيًّا من هذه الكلمات أو العبارات:
manage-words-empty = (لا شيء بعد)
manage-words-limit = حتى { $max } كلمة أو عبارة، طول كل منها حتى { $length } حرفًا.
manage-ask-include = أرسل إليّ في رسالتك التالية كلمة أو عبارة تضاف إلى كلمات التضمين (حتى { $length } حرفًا، وتؤخذ حرفيًا).
manage-ask-exclude = أرسل إليّ في رسالتك التالية كلمة أو عبارة تضاف إلى كلمات الاستبعاد (حتى { $length } حرفًا، وتؤخذ حرفيًا).
manage-word-added = ✅ أُضيفت «{ $word }».
manage-word-duplicate = «{ $word }» موجودة في القائمة من قبل.
manage-word-empty = أرسل كلمة أو عبارة من فضلك.
manage-word-too-long = طولها { $length } حرفًا؛ والحد الأقصى للكلمة أو العبارة { $max }. أرسل أقصر منها.
manage-words-full = القائمة ممتلئة ({ $max } كلمة أو عبارة). احذف واحدة أولًا.
manage-word-gone = لم تعد هذه الكلمة في القائمة.
manage-source-gone = لم يعد هذا المصدر موجودًا.
manage-digest-header = معطّل: يُنشر كل مقال فور وصوله. كل ساعة أو كل يوم: رسالة واحدة تسرد عناوين تلك المدة.
manage-style-header = شكل كل منشور. تُستعمل الصورة حين يكون للمقال صورة، وإلا فالمنشور نص.
manage-language-header = لغة منشوراتها ولغة ردودي هناك. تلقائية: لغة تيليجرام لكل شخص، وإلا فلغة البوت الافتراضية.
manage-not-admin = لم تعد مشرفًا هناك.
manage-chat-gone = لم أعد أعرف هذه المحادثة. أرسل /manage من جديد.
manage-bot-cannot-post = لا أستطيع النشر هناك. اجعلني مشرفًا يستطيع نشر الرسائل، ثم حاول مجددًا.
manage-menu-too-old = هذه القائمة أقدم من أن تُعدَّل، فأرسلتُ قائمة جديدة.
manage-menu-unknown = هذا الزر من قائمة أقدم. أرسل /manage من جديد.
manage-closed = أُغلقت القائمة. أرسل /manage لفتحها من جديد.
lang-current = اللغة هنا: { $language }.
lang-usage = اختر بالأمر <code>/lang ar</code> (العربية) أو <code>/lang en</code> (English) أو <code>/lang auto</code> (لغة تيليجرام لكل شخص). في المجموعة أو القناة لا يغيّرها إلا مشرف.
lang-set = من الآن أجيب هنا بـ{ $language }.
lang-not-admin = لا يغيّر لغة هذه المحادثة إلا أحد مشرفيها.
lang-set-auto = من الآن أجيب هنا بلغة تيليجرام لكل شخص (العربية أو الإنجليزية)، وإلا فبلغة البوت الافتراضية.
digest-heading = 📰 موجز: { $count ->
        [zero] لا أخبار
        [one] خبر واحد
        [two] خبران
        [few] { $count } أخبار
        [many] { $count } خبرًا
       *[other] { $count } خبر
    }
