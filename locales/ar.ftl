# نشرة — العربية. القيم المعلّمة (html) تهرّبها الشيفرة؛ حافظ على صحة وسوم HTML.

help =
    <b>نشرة</b> — الأخبار إلى قنواتك ومجموعاتك.
    أتابع مصادر الأخبار بانتظام وأنشر كل مقال جديد (العنوان والرابط) في المحادثات المشتركة فيها، ويمكن لأي أحد البحث في كل ما رأيته.

    <b>للجميع</b>
    /search كلمات — ابحث عن مقال، مثل <code>/search خسائر إدلب</code>
    /latest — أحدث المقالات
    /sources — المصادر وأرقامها
    /subscriptions — ما تتلقاه هذه المحادثة

    <b>لمشرفي المحادثة</b>
    /subscribe — انشر كل المصادر هنا (أو <code>/subscribe 1 3</code> لبعضها)
    /unsubscribe — أوقف النشر (أو <code>/unsubscribe 3</code>)
    في المحادثة الخاصة: <code>/subscribe @channel</code> لقناة تشرف عليها.

    <b>لمشرفي البوت</b>
    /addsource رابط — أضف مصدرًا، مثل <code>/addsource https://example.com/feed</code>
    /removesource رقم — احذف مصدرًا

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
