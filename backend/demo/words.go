package demo

// Word lists for the demo workspace. Russian names carry their transliteration for e-mails.

type name struct{ ru, lat string }

var (
	ruMaleFirst = []name{{"Александр", "alexander"}, {"Дмитрий", "dmitry"}, {"Максим", "maxim"}, {"Сергей", "sergey"},
		{"Андрей", "andrey"}, {"Алексей", "alexey"}, {"Иван", "ivan"}, {"Михаил", "mikhail"}, {"Никита", "nikita"},
		{"Егор", "egor"}, {"Артём", "artem"}, {"Павел", "pavel"}, {"Роман", "roman"}, {"Олег", "oleg"}}
	ruFemaleFirst = []name{{"Анна", "anna"}, {"Мария", "maria"}, {"Елена", "elena"}, {"Ольга", "olga"},
		{"Наталья", "natalya"}, {"Екатерина", "ekaterina"}, {"Татьяна", "tatyana"}, {"Юлия", "yulia"},
		{"Ирина", "irina"}, {"Дарья", "darya"}, {"Светлана", "svetlana"}, {"Ксения", "ksenia"}}
	// Male form; the female form adds "а" (Иванов → Иванова), which holds for every entry here.
	ruLast = []name{{"Иванов", "ivanov"}, {"Смирнов", "smirnov"}, {"Кузнецов", "kuznetsov"}, {"Попов", "popov"},
		{"Васильев", "vasiliev"}, {"Петров", "petrov"}, {"Соколов", "sokolov"}, {"Михайлов", "mikhailov"},
		{"Новиков", "novikov"}, {"Фёдоров", "fedorov"}, {"Морозов", "morozov"}, {"Волков", "volkov"},
		{"Алексеев", "alekseev"}, {"Лебедев", "lebedev"}, {"Семёнов", "semenov"}, {"Егоров", "egorov"},
		{"Павлов", "pavlov"}, {"Козлов", "kozlov"}, {"Степанов", "stepanov"}, {"Николаев", "nikolaev"}}
	enFirst = []string{"James", "Emily", "Michael", "Olivia", "David", "Sophia", "Daniel", "Emma", "Thomas",
		"Charlotte", "Lucas", "Mia", "Ethan", "Grace", "Noah", "Chloe"}
	enLast = []string{"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Clark",
		"Walker", "Young", "King", "Wright", "Scott", "Green", "Baker"}
	mailDomains = []string{"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "outlook.com", "inbox.ru"}

	plans   = []string{"Основная воронка", "Вебинар «Продажи 2.0»", "Курс английского", "Чёрная пятница", "Onboarding", "Марафон стройности"}
	tags    = []string{"VIP", "Оптовик", "Постоянный клиент", "Горячий лид", "Холодный лид", "Партнёр", "Возврат", "B2B", "Студент", "Не звонить"}
	sources = []string{"Instagram", "Реклама ВКонтакте", "Google Ads", "Яндекс Директ", "YouTube", "Сарафанное радио", "Email-рассылка", "Telegram Ads"}
	tools   = []string{"Лид-магнит «Чек-лист»", "Квиз", "Вебинар", "Промокод", "Виджет на сайте", "QR-код", "Розыгрыш"}
	blocks  = []string{"Приветствие", "Прогрев 1", "Прогрев 2", "Оффер", "Дожим", "Отзывы", "Финал"}
	offers  = []string{"Тариф «Базовый»", "Тариф «Про»", "Консультация", "Годовая подписка", "Starter pack"}
	amounts = []string{"990 ₽", "2 490 ₽", "4 900 ₽", "12 000 ₽", "$29", "$99"}

	ruClient = []string{"Здравствуйте! Подскажите, пожалуйста, сколько стоит курс?", "Добрый день, а есть рассрочка?",
		"Спасибо, всё получил", "Когда начнётся следующий поток?", "Не приходит ссылка на вебинар 😕",
		"Можно оплатить картой другого банка?", "А запись будет?", "Хочу вернуть деньги, курс не подошёл",
		"Отлично, жду!", "Подскажите, как сменить тариф?", "Оплатил, но доступ не открылся", "ок",
		"Можно счёт на юрлицо?", "Супер, спасибо большое!", "А скидка для студентов есть?", "Где найти домашнее задание?",
		"Перезвоните мне, пожалуйста, после 18:00", "Добрый вечер. Промокод не работает", "Да, интересно",
		"Пришлите, пожалуйста, программу курса"}
	enClient = []string{"Hi! How much is the course?", "Hello, is there an installment plan?", "Thanks, got it",
		"When does the next cohort start?", "The webinar link didn't arrive", "Can I pay with PayPal?",
		"Will there be a recording?", "I'd like a refund please", "Great, looking forward!", "How do I change my plan?",
		"I paid but still have no access", "ok", "Is there a student discount?", "Please call me back after 6pm"}
	ruBot = []string{"Добро пожаловать! Я помогу выбрать программу 👋", "Вот ссылка на бесплатный урок: https://example.com/lesson",
		"Напоминаем: вебинар начнётся через 1 час", "Выберите удобный тариф 👇", "Спасибо за оплату! Доступ откроется в течение 5 минут",
		"Ваш промокод: SPRING15", "Как вам первый урок? Оцените от 1 до 5"}
	enBot = []string{"Welcome! I'll help you pick a programme 👋", "Here is your free lesson: https://example.com/lesson",
		"Reminder: the webinar starts in 1 hour", "Choose a plan 👇", "Thanks for your payment! Access opens within 5 minutes"}
	ruManager = []string{"Здравствуйте! Стоимость — 4 900 ₽, есть рассрочка на 3 месяца.", "Проверила, доступ открыт, обновите страницу 🙂",
		"Следующий поток стартует 1 числа.", "Да, запись пришлём всем участникам.", "Отправила счёт на почту.",
		"Промокод действует до конца недели.", "Передала ваш вопрос куратору, ответим сегодня.", "Конечно, перезвоним!"}
	enManager = []string{"Hi! It's $99, and there's a 3-month installment plan.", "Checked: your access is open, please refresh 🙂",
		"The next cohort starts on the 1st.", "Yes, everyone gets the recording.", "I've emailed you the invoice."}
	ruAdmin = []string{"Ответили вам в личных сообщениях", "Спасибо за отзыв! ❤️", "Администратор: заявка принята"}
	notes   = []string{"Клиент просил перезвонить", "Уточнить оплату у бухгалтерии", "Похоже на возврат, посмотри, пожалуйста",
		"VIP, отвечать в приоритете", "Обещали скидку 10%"}
	docs     = []string{"Договор оферты.pdf", "Счёт №1042.pdf", "Программа курса.docx", "price-list.xlsx", "скриншот оплаты.png"}
	stickers = []string{"👍", "😂", "🔥", "🙏", "❤️"}
	emojis   = []string{"👍", "❤️", "🔥", "😂", "🙏"}

	// Hostile strings the UI tests look for: both must render as text, never as HTML.
	HostileName = "<img src=x onerror=alert(1)>Hacker"
	HostileText = "<script>alert('xss')</script><b>bold?</b>"
)
