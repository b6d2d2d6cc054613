"""The patient's texts in Arabic (R9, R36): the checker page, the pages /vragen,
/voorwaarden and /privacy, the API's answers and the refusals. Same keys and values as the
Dutch in ``texts.patient``; figures as in legal-nl.md."""

from __future__ import annotations

from billing_core.texts.catalogue import Section, Sections

_INFO: Section = {
    "back_to_checker": "العودة إلى صفحة التحقق من الدفع",
    # Not yet read by a native speaker (README, Languages): the two below.
    "not_found_title": "الصفحة غير موجودة",
    "not_found_text": (
        "هذه الصفحة غير موجودة. يرجى التحقق من العنوان، أو الانتقال إلى صفحة التحقق من "
        "الدفع وإدخال رقم مرجع الدفع الموجود في فاتورتكم هناك."
    ),
    # Not yet read by a native speaker (README, Languages): the five below.
    "payment_unavailable_title": "الدفع عبر الإنترنت غير ممكن الآن",
    "payment_unavailable_text": (
        "خدمة الدفع (iDEAL) غير متاحة في الوقت الحالي. لم يُدفع أي مبلغ ولم يُسجَّل شيء. "
        "يرجى المحاولة مرة أخرى بعد بضع دقائق، أو تحويل المبلغ إلى الحساب المذكور أدناه، مع "
        "ذكر رقم مرجع الدفع في خانة البيان: من خلاله نعرف أي فاتورة تدفعون."
    ),
    # Not yet read by a native speaker (README, Languages): the four below.
    "message_too_long_title": "رسالتكم طويلة جدًا",
    "message_too_long_text": (
        "تعذّر إرسال رسالتكم: فهي أطول مما تستطيع صفحة التحقق من الدفع استقباله. لم يُسجَّل "
        "شيء. تجدون نصكم أدناه: يرجى نسخه واختصاره (2000 حرف على الأكثر) ثم إرساله مرة "
        "أخرى من صفحة التحقق من الدفع."
    ),
    "given_back_heading": "نصكم",
    "given_back_label": "النص الذي كتبتموه، لنسخه",
    "transfer_heading": "الدفع بالتحويل المصرفي",
    # Not yet read by a native speaker (README, Languages): the amount to transfer.
    "transfer_amount": "المبلغ",
    "transfer_iban": "رقم الحساب (IBAN)",
    "transfer_holder": "باسم",
    "faq_title": "أسئلة شائعة",
    "faq_1_heading": "كيف أدفع فاتورتي؟",
    "faq_1_text": (
        "عبر الإنترنت باستخدام iDEAL: أدخلوا رقم مرجع الدفع الموجود في فاتورتكم في صفحة "
        "التحقق من الدفع. أو حوّلوا المبلغ إلى رقم الحساب المذكور في الفاتورة، مع كتابة رقم "
        "مرجع الدفع في خانة البيان: من خلاله نعرف أي فاتورة تدفعون."
    ),
    "faq_2_heading": "أحتاج إلى وقت أطول. هل يمكنني الحصول على تأجيل؟",
    "faq_2_text": (
        "نعم، مرة واحدة ومجانًا، من خلال صفحة التحقق من الدفع. هناك ترون عدد أيام التأجيل "
        "التي يمنحها مقدّم الرعاية الصحية، والموعد النهائي الجديد للدفع."
    ),
    "faq_3_heading": "هل يمكنني الدفع على أقساط؟",
    "faq_3_text": (
        "نعم، بخطة تقسيط من 2 إلى 12 قسطًا شهريًا. تظهر تكاليف الخطة وأصغر مبلغ للقسط في "
        "صفحة التحقق من الدفع. خلال مدة الخطة تدفعون كل قسط في موعده، ويمكنكم دائمًا دفع "
        "المبلغ كله دفعة واحدة."
    ),
    "faq_4_heading": "لا أوافق على الفاتورة.",
    "faq_4_text": (
        "قدّموا اعتراضًا في صفحة التحقق من الدفع، وسيتواصل معكم مقدّم الرعاية الصحية. "
        "الاعتراض لا يوقف مهلة الدفع. أما الأسئلة عن العلاج نفسه فوجّهوها إلى مقدّم الرعاية "
        "الصحية: بيانات الاتصال به موجودة في الفاتورة وفي صفحة التحقق من الدفع."
    ),
    "faq_5_heading": "مقدّم الرعاية الصحية ليس لديه عقد مع شركة تأميني الصحي.",
    # Not yet read by a native speaker (README, Languages): "أو بالبريد العادي ..." (R7).
    "faq_5_text": (
        "في هذه الحالة لا تدفعوا الفاتورة بعد. قدّموها أولًا إلى شركة التأمين الصحي، ثم "
        "أدخلوا في صفحة التحقق من الدفع المبالغ الواردة في كشف شركة التأمين. قد يخفّض "
        "مقدّم الرعاية الصحية المبلغ عندئذ تخفيضًا طوعيًا (coulance)، وتصلكم بالبريد "
        "الإلكتروني، أو بالبريد العادي إن لم يكن لدينا عنوان بريدكم الإلكتروني، قيمة "
        "المبلغ المعدَّل مع موعد نهائي جديد للدفع."
    ),
    "faq_6_heading": "ماذا يحدث إذا لم أدفع في الموعد؟",
    "faq_6_text": (
        "تصلكم أولًا رسالة تذكير مجانية مع مهلة 14 يومًا للدفع. إذا لم تدفعوا خلالها أيضًا، "
        "تُضاف تكاليف التحصيل وفق الجدول القانوني والفائدة القانونية. انظروا شروط الدفع."
    ),
    "faq_7_heading": "ماذا يرى من يعرف رقم مرجع الدفع الخاص بي؟",
    "faq_7_text": (
        "يرى فقط هل دُفعت الفاتورة، والمبلغ والتاريخ. أما العلاجات والفاتورة بصيغة PDF "
        "والدفع وتقديم الطلبات فلا تظهر إلا بعد إدخال تاريخ ميلاد المريض."
    ),
    "faq_8_heading": "من هي zorgnota؟",
    "faq_8_text": (
        "ترسل zorgnota الفواتير وتستلم المدفوعات نيابةً عن مقدّمي الرعاية الصحية. ويبقى "
        "مقدّم الرعاية الصحية مسؤولًا عن العلاج وعن الفاتورة."
    ),
    "terms_title": "شروط الدفع",
    "terms_1_heading": "مهلة الدفع",
    "terms_1_text": (
        "تدفعون في موعد أقصاه آخر موعد للدفع المذكور في الفاتورة، مع ذكر رقم مرجع الدفع. "
        "ورقم مرجع الدفع هو الذي يحدد الفاتورة التي تُحسب لها الدفعة (المادة 6:43 من "
        "القانون المدني الهولندي)."
    ),
    "terms_2_heading": "التذكير",
    "terms_2_text": (
        "إذا لم تدفعوا في الموعد، تصلكم رسالة تذكير مجانية بمهلة 14 يومًا من تاريخ "
        "استلامها (المادة 6:96 الفقرة 6 من القانون المدني الهولندي). ويُذكر فيها مقدار "
        "تكاليف التحصيل التي تُضاف إذا لم تدفعوا خلال هذه المهلة أيضًا."
    ),
    "terms_3_heading": "تكاليف التحصيل",
    "terms_3_text": (
        "بعد انقضاء هذه الأيام الـ14 تُستحق تكاليف التحصيل وفق المرسوم الهولندي لتكاليف "
        "التحصيل خارج القضاء: 15% من أول €2,500 (بحد أدنى €40)، و10% من الـ€2,500 التالية، "
        "و5% من الـ€5,000 التالية، و1% من الـ€190,000 التالية، و0.5% مما يزيد على ذلك، "
        "بحد أقصى €6,775."
    ),
    "terms_4_heading": "الفائدة القانونية",
    "terms_4_text": (
        "اعتبارًا من اليوم التالي لآخر موعد للدفع تُستحق الفائدة القانونية (المادة 6:119 من "
        "القانون المدني الهولندي) على المبلغ غير المدفوع."
    ),
    "terms_5_heading": "على أي شيء تُحسب الدفعة أولًا",
    "terms_5_text": (
        "تُحسب الدفعة أولًا للتكاليف، ثم للفائدة، ثم لمبلغ الفاتورة (المادة 6:44 من القانون "
        "المدني الهولندي)."
    ),
    "privacy_title": "الخصوصية",
    "privacy_1_heading": "ما نستخدمه من بيانات",
    "privacy_1_text": (
        "تتلقى zorgnota من مقدّم الرعاية الصحية ما يلزم لإعداد الفاتورة وتحصيلها: اسمكم "
        "وعنوانكم، والعلاجات، وتاريخ ميلادكم، وعنوان بريدكم الإلكتروني. ولا نستخدم هذه "
        "البيانات إلا لهذا الغرض، نيابةً عن مقدّم الرعاية الصحية."
    ),
    "privacy_2_heading": "صفحة التحقق من الدفع",
    "privacy_2_text": (
        "لا تعرض صفحة التحقق من الدفع أبدًا اسمكم أو عنوانكم أو علاجاتكم دون تاريخ الميلاد. "
        "بعد إدخال تاريخ الميلاد يحصل متصفحكم لمدة 15 دقيقة على ملف تعريف ارتباط (cookie) "
        "موقَّع لرقم مرجع الدفع هذا وحده، ولا يُحفظ تاريخ الميلاد نفسه في ملف تعريف "
        "الارتباط ولا في أي عنوان إلكتروني."
    ),
    "privacy_3_heading": "مدة الحفظ",
    "privacy_3_text": (
        "نحتفظ بالفواتير والمدفوعات طوال المدة التي يفرضها القانون (مدة الحفظ الضريبية "
        "البالغة 7 سنوات)، ولا نحتفظ بها بعد ذلك."
    ),
    "privacy_4_heading": "حقوقكم",
    "privacy_4_text": (
        "للاطلاع على بياناتكم أو تصحيحها أو لتقديم شكوى بشأنها، تواصلوا مع مقدّم الرعاية "
        "الصحية: فهو المسؤول عن بياناتكم، وهو الذي يستعين بـ zorgnota."
    ),
}

_PAGE: Section = {
    "title": "التحقق من الدفع",
    "lead": "هل دُفعت فاتورتكم؟ أدخلوا رقم مرجع الدفع الموجود في فاتورتكم.",
    "reference_label": "رقم مرجع الدفع",
    "reference_hint": (
        "14 رقمًا، تجدونها في فاتورتكم بجانب كلمة (Betalingskenmerk). يمكن ترك مسافات بينها."
    ),
    "check": "تحقّق",
    "invalid_reference": "رقم مرجع الدفع هذا غير صحيح — يرجى التحقق من الأرقام الـ14.",
    "not_found": (
        "لم نجد فاتورة برقم مرجع الدفع هذا. يرجى التحقق من الرقم في فاتورتكم، أو من تاريخ "
        "الميلاد إن كنتم قد أدخلتموه."
    ),
    "invoice_unavailable": (
        "لا يمكننا عرض هذه الفاتورة الآن. يرجى المحاولة مرة أخرى لاحقًا، أو التواصل مع "
        "مقدّم الرعاية الخاص بكم."
    ),
    "status_paid": "هذه الفاتورة مدفوعة.",
    "status_being_booked": "دفعتكم قيد المعالجة.",
    "status_waived": "لا يلزمكم دفع أي شيء: تنازل مقدّم الرعاية الصحية عن مبلغ هذه الفاتورة.",
    # Not yet read by a native speaker (README, Languages): this and state_reimbursed (R5).
    "status_reimbursed": "لا يلزمكم دفع أي شيء: تعوّض شركة التأمين الصحي كامل مبلغ هذه الفاتورة.",
    # Not yet read by a native speaker (README, Languages).
    "status_paid_rest_waived": (
        "دفعتم \u2066{paid}\u2069، وتنازل مقدّم الرعاية الصحية عن الباقي. لا يلزمكم دفع أي شيء آخر."
    ),
    "status_open": "هذه الفاتورة غير مدفوعة بعد.",
    "status_partly_paid": "هذه الفاتورة مدفوعة جزئيًا.",
    "amount_due": "المبلغ المتبقي للدفع",
    "final_payment_date": "آخر موعد للدفع",
    "state": "الوضع الحالي",
    "state_open": "غير مدفوعة",
    "state_paid": "مدفوعة",
    "state_waived": "تنازل عنها مقدّم الرعاية الصحية",
    "state_reimbursed": "عوّضتها شركة التأمين الصحي",
    # Not yet read by a native speaker (README, Languages).
    "state_paid_rest_waived": "دُفعت جزئيًا، وتنازل مقدّم الرعاية الصحية عن الباقي",
    "state_deferred": "تمت الموافقة على تأجيل الدفع",
    "state_arrangement_active": "خطة التقسيط سارية",
    "state_on_hold": "قيد المراجعة لدى مقدّم الرعاية الصحية",
    "state_reminder_sent": "أُرسلت رسالة تذكير",
    # Not yet read by a native speaker (README, Languages); the final notice's own word
    # (letters.py, email.second_notice).
    "state_second_notice_sent": "أُرسل إنذار أخير",
    # Not yet read by a native speaker (README, Languages): the final notice not gone yet.
    "state_second_notice_waits": "سيُرسل إنذار أخير",
    "state_with_collection_agency": "أُحيلت إلى مكتب تحصيل الديون (incassobureau)",
    "collected_by_agency": "يتولى مكتب تحصيل الديون الآن تحصيل هذه الفاتورة نيابةً عن مقدّم الرعاية الصحية.",
    "birth_date_label": "تاريخ ميلاد المريض",
    "birth_date_hint": "للتأكد من أنكم تقصدون الفاتورة الصحيحة.",
    "pay_heading": "الدفع",
    "pay_button": "ادفعوا \u2066{amount}\u2069 عبر iDEAL",
    "defer_heading": "هل تحتاجون إلى وقت أطول؟",
    "defer_text": "يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا لمدة {days} يومًا.",
    "defer_button": "طلب تأجيل الدفع",
    "arrange_heading": "الدفع على أقساط",
    "arrange_text": (
        "بخطة التقسيط تدفعون على 2 إلى 12 قسطًا شهريًا. تكلفة الخطة \u2066{fee}\u2069، ولا يقل القسط "
        "الواحد عن \u2066{minimum}\u2069."
    ),
    "terms_label": "عدد الأقساط",
    "arrange_button": "طلب خطة تقسيط",
    "object_heading": "لا توافقون على الفاتورة؟",
    "object_text": "قدّموا اعتراضًا، وسيتواصل معكم مقدّم الرعاية الصحية.",
    "object_term_runs": "يرجى الانتباه: الاعتراض لا يوقف مهلة الدفع.",
    "reason_label": "السبب",
    "reason_treatment": "العلاج",
    "reason_amount": "المبلغ",
    "reason_insurer": "ما تعوّضه شركة التأمين الصحي",
    "reason_other": "سبب آخر",
    "message_label": "توضيحكم",
    "email_label": "عنوان بريدكم الإلكتروني (لإرسال التأكيد)",
    "object_button": "تقديم الاعتراض",
    "done_deferral": "تمت الموافقة على التأجيل. آخر موعد جديد للدفع هو {date}.",
    # Not yet read by a native speaker (README, Languages): "{by_channel_ar}" is
    # "بالبريد الإلكتروني" or "بالبريد العادي" (catalogue.by_channel, R7), "كتابيًا" before the
    # birth date is checked.
    "done_arrangement": "تم تسجيل خطة التقسيط. سيصلكم جدول الأقساط {by_channel_ar}.",
    "done_objection": "استلمنا اعتراضكم. سيصلكم تأكيد بالبريد الإلكتروني.",
    # Not yet read by a native speaker (README, Languages): no e-mail address on file, so no
    # confirmation; the provider will be in touch (audit REQUESTS3).
    "done_objection_unacknowledged": "استلمنا اعتراضكم. سيتواصل معكم مقدّم الرعاية الصحية.",
    "refused": "هذا غير ممكن: {reason}",
    "privacy": (
        "لا تعرض هذه الصفحة أبدًا اسمكم أو عنوانكم أو علاجاتكم. ترسل zorgnota الفواتير "
        "وتستلم المدفوعات نيابةً عن مقدّمي الرعاية الصحية."
    ),
    "switch_language": "Nederlands",
    "language_label": "اللغة",
    # Not yet read by a native speaker (README, Languages): the two below.
    "skip": "انتقل إلى المحتوى",
    "table_of": "جدول: {name}",
    "birth_date_unreadable": (
        "لا يمكننا قراءة تاريخ الميلاد هذا. يرجى كتابته بصيغة اليوم-الشهر-السنة، مثل "
        "\u20667-3-1984\u2069."
    ),
    "no_match": (
        "لم نجد فاتورة برقم مرجع الدفع هذا وتاريخ الميلاد هذا. يرجى التحقق من رقم مرجع "
        "الدفع في فاتورتكم ومن تاريخ ميلاد المريض."
    ),
    "visit_expired": (
        "يرجى إدخال تاريخ ميلاد المريض للتحقق. بعد ذلك يمكنكم لمدة {minutes} دقيقة عرض "
        "الفاتورة والدفع أو تقديم طلب."
    ),
    "form_invalid": "لم يكتمل النموذج أو لم يُملأ بشكل صحيح. لم يتغير شيء.",
    "amount_invalid": (
        "تعذّرت قراءة أحد المبالغ. أدخلوه باليورو مع فاصلة قبل السنتات، كما هو في الكشف: "
        "مثلًا 60,17 أو 1.234,56. لم يتغير شيء."
    ),
    "payment_thanks": "شكرًا لكم! استلمنا دفعتكم.",
    "payment_processing": (
        "شكرًا لكم! أكّد مصرفكم الدفعة. نحن نعالجها الآن؛ بعد بضع دقائق ترون هنا المبلغ الجديد."
    ),
    "payment_pending": "لم يؤكد مصرفكم الدفعة بعد. يرجى إعادة تحميل هذه الصفحة بعد بضع دقائق.",
    "payment_ended": "أُلغيت الدفعة أو انتهت صلاحيتها، ولم يُخصم أي مبلغ. يمكنكم الدفع مرة أخرى.",
    # Not yet read by a native speaker (README, Languages).
    "payment_failed": "فشلت الدفعة: لم يُتمّها مصرفكم. لم يُخصم أي مبلغ. يمكنكم الدفع مرة أخرى.",
    # Not yet read by a native speaker (README, Languages).
    "payment_unknown": (
        "لا يمكننا الآن التحقق مما إذا كانت دفعتكم قد تمّت: خدمة الدفع (iDEAL) غير متاحة في "
        "الوقت الحالي. يرجى عدم الدفع مرة أخرى. يرجى إعادة تحميل هذه الصفحة بعد بضع دقائق: "
        "إذا تمّت الدفعة، ترون هنا المبلغ الجديد."
    ),
    "unlock_heading": "عرض الفاتورة أو الدفع أو تقديم طلب",
    "unlock_text": (
        "أدخلوا تاريخ ميلاد المريض مرة واحدة للتحقق. بعدها ترون العلاجات، ويمكنكم تنزيل "
        "الفاتورة والدفع وطلب تأجيل أو خطة تقسيط أو تقديم اعتراض."
    ),
    # Not yet read by a native speaker (README, Languages): the two below.
    "unlock_heading_settled": "عرض الفاتورة أو تقديم اعتراض",
    "unlock_text_settled": (
        "أدخلوا تاريخ ميلاد المريض مرة واحدة للتحقق. بعدها ترون العلاجات، ويمكنكم تنزيل "
        "الفاتورة أو تقديم اعتراض."
    ),
    "unlock_button": "متابعة",
    "breakdown_heading": "مكوّنات المبلغ",
    "bd_invoiced": "الفاتورة",
    "bd_reimbursed": "ما عوّضته شركة التأمين الصحي",
    "bd_forgiven": "ما تنازل عنه مقدّم الرعاية الصحية",
    "bd_paid": "ما دُفع سابقًا",
    "bd_costs": "تكاليف التحصيل",
    "bd_fee": "تكلفة خطة التقسيط",
    "bd_interest": "الفائدة القانونية حتى اليوم",
    "bd_due": "المبلغ المتبقي للدفع",
    # Not yet read by a native speaker (README, Languages): the two below.
    "bd_credit": "ما دفعتموه زيادةً، ونعيده إليكم",
    "credit_note": "لقد دفعتم \u2066{amount}\u2069 زيادةً عن المطلوب. سنعيد إليكم هذا المبلغ.",
    # Not yet read by a native speaker (README, Languages).
    "bd_refunded": "ما أعدناه إليكم",
    "bd_refunded_on": "ما أعدناه إليكم في {date}",
    "pay_by_final_payment_date": "آخر موعد للدفع",
    "pay_by_deferred": "آخر موعد للدفع بعد التأجيل",
    "pay_by_reminder": "آخر موعد للدفع حسب رسالة التذكير",
    "pay_by_second_notice": "ادفعوا في موعد أقصاه (بعده تُحال الفاتورة إلى مكتب تحصيل الديون)",
    "pay_by_arrangement_term": "موعد القسط التالي",
    # Not yet read by a native speaker (README, Languages).
    "pay_by_hold": "ادفعوا في موعد أقصاه (أوقف مقدّم الرعاية الصحية الإجراءات حتى هذا اليوم)",
    # Not yet read by a native speaker (README, Languages): the three below.
    "pay_by_passed": "انقضى آخر موعد للدفع في",
    "pay_by_passed_arrangement_term": "انقضى موعد القسط المستحق في",
    "pay_by_after_statement": "يصلكم {by_channel_ar} مع المبلغ المعدَّل",
    # Not yet read by a native speaker (README, Languages): the letters' sentence.
    "extra_term_note": (
        "بعد قسطكم الأخير تدفعون \u2066{amount}\u2069 إضافيًا كقسط إضافي، في موعد أقصاه {date}."
    ),
    "on_hold_note": (
        "يراجع مقدّم الرعاية الصحية هذه الفاتورة. حتى {date} ضمنًا لا يرسل مقدّم الرعاية "
        "الصحية أي تذكير ولا يفرض أي تكاليف."
    ),
    # Not yet read by a native speaker (README, Languages): the hold after the costs.
    "on_hold_after_costs_note": (
        "يراجع مقدّم الرعاية الصحية هذه الفاتورة. حتى {date} ضمنًا يوقف مقدّم الرعاية الصحية "
        "إجراءات التحصيل: لا تُحال الفاتورة خلال هذه الفترة إلى مكتب تحصيل الديون. أما تكاليف "
        "التحصيل التي فُرضت من قبل فتبقى مستحقة."
    ),
    "on_hold_goes_on": "وإذا بقيت الفاتورة غير مدفوعة بعد ذلك، تُستأنف الإجراءات من حيث توقفت.",
    # Not yet read by a native speaker (README, Languages): the hold over a letter that
    # waits for the practice.
    "on_hold_waits_for_practice": (
        "وإذا بقيت الفاتورة غير مدفوعة بعد ذلك، فلا تُستأنف الإجراءات إلا بعد أن ينتهي مقدّم "
        "الرعاية الصحية من مراجعتها."
    ),
    # Not yet read by a native speaker (README, Languages).
    "on_hold_terms_note": (
        "تستمر خطة التقسيط خلال هذه الفترة: يرجى دفع كل قسط في موعده. القسط الذي يبقى غير "
        "مدفوع بعد 14 يومًا من موعد استحقاقه يُنهي خطة التقسيط، حتى خلال هذه الفترة."
    ),
    # Not yet read by a native speaker (README, Languages).
    "arrangement_ended_note": (
        "انتهت خطة التقسيط الخاصة بكم في {date}، لأن قسطًا بقي غير مدفوع بعد 14 يومًا من موعد "
        "استحقاقه."
    ),
    "reminder_undelivered_coming": (
        "لم تصلكم رسالة التذكير منّا. ستصلكم رسالة تذكير جديدة {by_channel_ar}، مع موعد جديد "
        "أقصى للدفع."
    ),
    "reminder_undelivered_waits_for_practice": (
        "لم تصلكم رسالة التذكير منّا. يراجع مقدّم الرعاية الصحية بيانات الاتصال الخاصة بكم؛ "
        "بعد ذلك تصلكم رسالة تذكير جديدة مع موعد جديد أقصى للدفع."
    ),
    # Not yet read by a native speaker (README, Languages).
    "invoice_undelivered_waits_for_practice": (
        "لم تعد رسائلنا الإلكترونية تصلكم. يراجع مقدّم الرعاية الصحية بيانات الاتصال "
        "الخاصة بكم؛ وإذا بقيت الفاتورة غير مدفوعة بعد ذلك، تصلكم رسالة تذكير مع موعد جديد "
        "أقصى للدفع."
    ),
    "second_notice_undelivered_coming": (
        "لم يصلكم الإنذار الأخير منّا. سيصلكم إنذار أخير جديد {by_channel_ar}، مع موعد جديد "
        "تُحال الفاتورة بعده إلى مكتب تحصيل الديون."
    ),
    "second_notice_undelivered_waits_for_practice": (
        "لم يصلكم الإنذار الأخير منّا. يراجع مقدّم الرعاية الصحية بيانات الاتصال الخاصة بكم؛ "
        "بعد ذلك يصلكم إنذار أخير جديد مع موعد جديد تُحال الفاتورة بعده إلى مكتب تحصيل الديون."
    ),
    # Not yet read by a native speaker (README, Languages): the first notice still to go.
    "second_notice_to_go": (
        "يجري الآن إرسال إنذارنا الأخير، وفيه الموعد الذي تُحال الفاتورة بعده إلى مكتب تحصيل الديون."
    ),
    # Not yet read by a native speaker (README, Languages): that notice held (R16).
    "second_notice_held": (
        "لم يُرسل إنذارنا الأخير بعد، وسيصلكم لاحقًا، وفيه الموعد الذي تُحال الفاتورة بعده إلى مكتب "
        "تحصيل الديون."
    ),
    "practice_heading": "أسئلة عن العلاج؟",
    "practice_text": "يرجى التواصل مع مقدّم الرعاية الصحية:",
    "practice_phone": "الهاتف",
    "practice_email": "البريد الإلكتروني",
    "practice_website": "الموقع الإلكتروني",
    "practice_hours": "أوقات الاتصال",
    "lines_heading": "العلاجات",
    "col_date": "التاريخ",
    "col_description": "الوصف",
    "col_amount": "المبلغ",
    "col_reimbursed": "المبلغ المعوَّض",
    "download_pdf": "تنزيل الفاتورة (PDF)",
    "pay_term_button": "ادفعوا القسط البالغ \u2066{amount}\u2069 عبر iDEAL",
    "pay_all_button": "ادفعوا المبلغ كله دفعة واحدة: \u2066{amount}\u2069",
    "dont_pay_yet_heading": "يرجى الانتباه: لا تدفعوا هذه الفاتورة بعد",
    "dont_pay_yet": (
        "ليس لدى مقدّم الرعاية الصحية عقد مع شركة التأمين الصحي التي تتعاملون معها. "
        "لا تطلبوا خطة تقسيط بعد أيضًا. قدّموا الفاتورة أولًا إلى شركة التأمين، ثم أدخلوا "
        "أدناه المبالغ الواردة في الكشف الذي يصلكم منها. ستصلكم {by_channel_ar} قيمة "
        "المبلغ المعدَّل مع موعد نهائي جديد للدفع. إذا تأخرت شركة التأمين في الدفع، "
        "فاطلبوا هنا تأجيل الدفع مجانًا."
    ),
    # Not yet read by a native speaker (README, Languages): the two below.
    "coulance_decision_heading": "يقرّر مقدّم الرعاية الصحية المبلغ المعدَّل",
    "coulance_decision": (
        "استلمنا كشف شركة التأمين الصحي. ستصلكم {by_channel_ar} قيمة المبلغ المعدَّل مع "
        "موعد نهائي جديد للدفع. حتى ذلك الحين لا تدفعوا بعد، ولا تطلبوا خطة تقسيط أو تأجيلًا "
        "للدفع."
    ),
    "statement_heading": "كشف شركة التأمين الصحي",
    "statement_text": "انقلوا المبالغ من الكشف الذي أرسلته إليكم شركة التأمين الصحي.",
    "reimbursed_label": "ما عوّضته شركة التأمين الصحي (€)",
    "withheld_label": "المساهمة الذاتية المقتطعة (eigen risico) (€)",
    "statement_button": "إرسال الكشف",
    # Not yet read by a native speaker (README, Languages): the date and confirmation.
    "done_statement_applied": (
        "تم تعديل المبلغ: المتبقي عليكم الآن \u2066{due}\u2069. يرجى دفعه في موعد أقصاه {date}. سيصلكم "
        "تأكيد {by_channel_ar}."
    ),
    "done_statement_sent_to_provider": (
        "يراجع مقدّم الرعاية الصحية الكشف. سنبلغكم {by_channel_ar}."
    ),
    # Not yet read by a native speaker (README, Languages): the date and confirmation.
    "done_statement_nothing_to_forgive": (
        "استلمنا الكشف. يبقى المبلغ \u2066{due}\u2069. يرجى دفعه في موعد أقصاه {date}. سيصلكم تأكيد "
        "{by_channel_ar}."
    ),
    # Not yet read by a native speaker (README, Languages): no date while the notice waits.
    "done_statement_applied_undated": (
        "تم تعديل المبلغ: المتبقي عليكم الآن \u2066{due}\u2069. سيذكر الإنذار الأخير الذي "
        "سيصلكم الموعد الذي تُحال الفاتورة بعده إلى مكتب تحصيل الديون. سيصلكم تأكيد "
        "{by_channel_ar}."
    ),
    "done_statement_nothing_to_forgive_undated": (
        "استلمنا الكشف. يبقى المبلغ \u2066{due}\u2069. سيذكر الإنذار الأخير الذي سيصلكم "
        "الموعد الذي تُحال الفاتورة بعده إلى مكتب تحصيل الديون. سيصلكم تأكيد {by_channel_ar}."
    ),
    "page_faq": "أسئلة شائعة",
    "page_terms": "شروط الدفع",
    "page_privacy": "الخصوصية",
}

ARABIC: Sections = {
    "page.info": _INFO,
    "page.checker": _PAGE,
    "refusals": {
        "paid": "هذه الفاتورة مدفوعة بالفعل.",
        "nothing_to_pay": "لا يتبقى عليك أي مبلغ لدفعه لهذه الفاتورة.",
        "with_collection_agency": (
            "أُحيلت هذه الفاتورة إلى مكتب تحصيل الديون (incassobureau). يرجى التواصل مع "
            "مكتب تحصيل الديون."
        ),
        "payment_received": (
            "استلمنا هذه الدفعة بالفعل وهي قيد المعالجة. لا حاجة إلى الدفع مرة أخرى."
        ),
        "already_deferred": (
            "حصلتم بالفعل على تأجيل الدفع لهذه الفاتورة. التأجيل ممكن مرة واحدة فقط."
        ),
        "arrangement_exists": "توجد بالفعل خطة تقسيط لهذه الفاتورة.",
        "deferral_too_late": (
            "مضى على موعد الدفع وقت طويل: التأجيل لن يمنحكم وقتًا إضافيًا. لكن يمكنكم طلب خطة تقسيط."
        ),
        "deferral_gives_no_time": (
            "لم يعد التأجيل ممكنًا: فهو لن يؤخّر الموعد الذي يجب عليكم الدفع فيه الآن. لكن يمكنكم طلب خطة تقسيط."
        ),
        "terms_out_of_range": "تتكون خطة التقسيط من 2 إلى 12 قسطًا شهريًا.",
        "term_too_small": "بهذا العدد من الأقساط يصبح القسط صغيرًا جدًا. اختاروا عددًا أقل.",
        "amount_too_small": ("المبلغ أصغر من أن يُقسَّط. لكن يمكنكم طلب تأجيل الدفع."),
        "statement_already_received": (
            "استلمنا بالفعل كشف شركة التأمين الصحي الخاص بهذه الفاتورة."
        ),
        "not_for_insurer": (
            "لا تُقدَّم هذه الفاتورة إلى شركة التأمين الصحي: رسوم عدم الحضور إلى موعد محجوز "
            "لا تُرسَل أبدًا إلى شركة التأمين. تدفعونها بأنفسكم."
        ),
        "insurer_contracted": (
            "لدى مقدّم الرعاية الصحية عقد مع شركة التأمين الصحي: المبلغ المعوَّض مخصوم "
            "بالفعل من هذه الفاتورة."
        ),
        "statement_above_invoice": (
            "مجموع المبلغ المعوَّض والمساهمة الذاتية المقتطعة أكبر من مبلغ الفاتورة. يرجى "
            "التحقق من المبالغ في كشف شركة التأمين الصحي."
        ),
        # Not yet read by a native speaker (README, Languages): the two below.
        "awaits_insurer_statement": (
            "لا تطلبوا خطة تقسيط بعد: قدّموا الفاتورة أولًا إلى شركة التأمين الصحي وأرسلوا إلينا "
            "كشفها. ستصلكم قيمة المبلغ المعدَّل {by_channel_ar}."
        ),
        "awaits_coulance_decision": (
            "يقرّر مقدّم الرعاية الصحية الآن المبلغ المعدَّل. سيصلكم {by_channel_ar} مع موعد "
            "نهائي جديد للدفع. حتى ذلك الحين لا يلزمكم ترتيب أي شيء."
        ),
        # Not yet read by a native speaker (README, Languages).
        "invalid_objection_reason": "اختاروا سببًا من القائمة.",
        "invalid_objection_message_empty": "اكتبوا في الرسالة ما لا توافقون عليه.",
        "invalid_objection_message": "اكتبوا رسالة لا تزيد على 2000 حرف.",
        "invalid_objection_email": (
            "أدخلوا عنوان بريد إلكتروني صحيحًا، مثل name@example.com: إليه يُرسَل الرد على اعتراضكم."
        ),
    },
    "answers": {
        # One sentence for an unknown reference and a wrong birth date alike (R10).
        "not_found": "لم نجد فاتورة برقم مرجع الدفع هذا وبهذه البيانات.",
        "invalid_reference": "رقم مرجع الدفع هذا غير صحيح — يرجى التحقق من الأرقام الـ14.",
        "invoice_unavailable": (
            "لا يمكننا عرض هذه الفاتورة الآن. يرجى المحاولة مرة أخرى لاحقًا، أو التواصل مع "
            "مقدّم الرعاية الخاص بكم."
        ),
    },
}
