# Panel texts for the staff pages (Russian): Провайдер → Сотрудники и Отделы, деревья прав,
# и заказы клиентов со стороны сотрудника (seed 000). Every id here must also exist in
# en-staff.ftl.

## Shared by the staff pages
staff-yes = Да
staff-no = Нет
staff-col-actions = Действия
staff-action-edit = Изменить
staff-action-delete = Удалить
staff-action-delete-confirm = Да, удалить
staff-action-enable = Включить
staff-action-disable = Отключить
staff-back-to-list = Вернуться к списку
perm-open = Права
object-department = Отдел
action-permissions = Права изменены

## Departments
dept-title = Отделы
dept-intro = Каждый отдел даёт своим сотрудникам набор функций. Новый отдел не даёт ни одной.
dept-new = Добавить отдел
dept-empty = Отделов пока нет.
dept-col-name = Название
dept-col-members = Сотрудников
dept-col-functions = Функции
dept-col-hours = Рабочее время
dept-col-support = Центр поддержки
dept-col-task-language = Язык заданий
dept-functions-count = { $count ->
        [0] нет функций
        [one] { $count } функция
        [few] { $count } функции
       *[many] { $count } функций
    }
dept-delete-confirm = Удалить отдел «{ $name }»? Его сотрудники сохранят учётные записи, но потеряют функции, которые давал отдел.
dept-created = Отдел создан. Включите его функции на странице прав.
dept-saved = Отдел сохранён.
dept-deleted = Отдел удалён.
dept-new-title = Новый отдел
dept-edit-title = Отдел «{ $name }»
dept-create = Создать отдел
dept-save = Сохранить
dept-field-name-en = Название на английском
dept-field-name-ru = Название на русском
dept-field-name-hint = Пользователи видят название на своём языке.
dept-field-hours = Рабочее время
dept-field-hours-hint = Используется центром поддержки для расчёта времени ответа. Время в 24-часовом формате, ЧЧ:ММ. Снимите отметку с дней, когда отдел не работает.
dept-field-time-zone = Часовой пояс
dept-field-time-zone-hint = Начните вводить город, например Europe/Moscow, и выберите из списка.
dept-col-day = День
dept-col-open = Рабочий
dept-col-from = С
dept-col-to = До
dept-hours-closed = Не работает
dept-field-support = Показывать в центре поддержки
dept-field-support-hint = Клиенты смогут направлять обращения в этот отдел.
dept-field-task-language = Язык заданий
dept-field-task-language-hint = Язык заданий, которые система создаёт для сотрудников этого отдела.
dept-day-mon = Понедельник
dept-day-tue = Вторник
dept-day-wed = Среда
dept-day-thu = Четверг
dept-day-fri = Пятница
dept-day-sat = Суббота
dept-day-sun = Воскресенье
dept-day-short-mon = Пн
dept-day-short-tue = Вт
dept-day-short-wed = Ср
dept-day-short-thu = Чт
dept-day-short-fri = Пт
dept-day-short-sat = Сб
dept-day-short-sun = Вс

## Permission trees
perm-title = Права
perm-saved = Права сохранены.
perm-dept-heading = Права отдела «{ $name }»
perm-dept-lead = Сотрудники отдела могут пользоваться всеми включёнными функциями. Включайте и отключайте раздел целиком или отдельную функцию.
perm-staff-heading = Права сотрудника { $name }
perm-staff-lead = Права, полученные от отделов сотрудника, здесь нельзя отнять, к ним можно только добавить: включите функцию, чтобы дать её лично этому сотруднику.
perm-col-function = Раздел или функция
perm-col-state = Состояние
perm-col-source = Источник
perm-enable = Включить
perm-disable = Отключить
perm-state-enabled = Включено
perm-state-partial = Частично
perm-state-disabled = Отключено
perm-source-full-access = Полный доступ
perm-source-inherited = От отдела: { $departments }
perm-source-individual = Лично
perm-source-off = Нет
perm-full-access-notice = У сотрудника полный доступ: включены все функции, личные права не применяются. Чтобы настраивать права по одному, снимите полный доступ в карточке сотрудника.
perm-disabled-notice = Учётная запись отключена: что бы ни было включено здесь, сотрудник не сможет войти, пока запись не включат снова.
perm-explain-title = Почему можно (нельзя)?
perm-explain-intro = Выберите функцию, чтобы узнать, может ли сотрудник ею пользоваться, и почему.
perm-explain-function = Функция
perm-explain-submit = Объяснить
perm-explain-allowed = Можно: «{ $function }»
perm-explain-denied = Нельзя: «{ $function }»
perm-explain-choose = Выберите функцию из списка.
perm-reason-full-access = Потому что у сотрудника полный доступ.
perm-reason-inherited = Потому что она дана отделу { $departments }.
perm-reason-individual = Потому что она дана этому сотруднику лично.
perm-reason-off = Потому что её не даёт ни один отдел сотрудника и она не дана ему лично.
perm-reason-public = Потому что она открыта всем.
perm-reason-every-signed-in-user = Потому что ею может пользоваться любой вошедший пользователь.
perm-reason-account-disabled = Потому что учётная запись отключена.
perm-reason-not-a-staff-function = Потому что это функция личного кабинета клиента, а не панели сотрудника.

## Staff
staff-title = Сотрудники
staff-intro = Сотрудники провайдера. Каждый может пользоваться функциями своих отделов и функциями, данными ему лично.
staff-new = Добавить сотрудника
staff-filter-text = Поиск
staff-filter-text-placeholder = Логин, имя или e-mail
staff-filter-department = Отдел
staff-filter-department-any = Любой отдел
staff-filter-status = Состояние
staff-status-any = Любое
staff-status-active = Активен
staff-status-disabled = Отключён
staff-empty = Сотрудников пока нет.
staff-empty-filtered = Нет сотрудников, подходящих под фильтры.
staff-col-employee = Сотрудник
staff-col-departments = Отделы
staff-col-contacts = Контакты
staff-col-status = Состояние
staff-full-access = Полный доступ
staff-delete-confirm = Удалить сотрудника «{ $name }»? Он больше не сможет войти; его история сохранится.
staff-created = Сотрудник создан.
staff-saved = Сотрудник сохранён.
staff-enabled = Сотрудник включён.
staff-disabled = Сотрудник отключён, все его сеансы завершены.
staff-deleted = Сотрудник удалён.
staff-new-title = Новый сотрудник
staff-edit-title = Сотрудник { $name }
staff-create = Создать сотрудника
staff-save = Сохранить
staff-field-login = Логин
staff-field-login-hint = Используется для входа. Латинские буквы, цифры и . _ - @ +
staff-field-login-fixed = (не изменяется)
staff-field-name = Полное имя на английском
staff-field-name-ru = Полное имя на русском
staff-field-password = Пароль
staff-field-password-hint = Оставьте пустым, чтобы создать надёжный пароль; он будет показан один раз после сохранения.
staff-field-new-password = Новый пароль
staff-field-new-password-hint = Оставьте пустым, чтобы не менять пароль. Новый пароль завершит все сеансы сотрудника.
staff-field-departments = Отделы
staff-field-departments-hint = Сотрудник получит все функции, которые дают эти отделы.
staff-field-email = E-mail
staff-field-phone = Телефон
staff-field-phone-hint = Международный формат с кодом страны, например +7 495 123-45-67.
staff-field-language = Язык интерфейса
staff-field-full-access = Полный доступ
staff-field-full-access-hint = Все функции панели сотрудника, сейчас и в будущих версиях. Только для администраторов.
staff-field-active = Учётная запись включена
staff-field-active-hint = Отключённый сотрудник не может войти; его сеансы сразу завершаются.
staff-avatar-title = Аватар
staff-avatar-saved = Аватар сохранён.
staff-avatar-current = Текущий аватар
staff-avatar-field = Файл изображения
staff-avatar-hint = PNG, JPEG или GIF, не больше 80×80 пикселей и 64 КБ.
staff-avatar-upload = Загрузить
staff-avatar-remove = Удалить аватар
staff-avatar-removed = Аватар удалён.
staff-avatar-missing = Выберите файл изображения.
staff-password-once = Скопируйте пароль сейчас и передайте его сотруднику. Он показывается только один раз; если он потеряется, задайте новый в карточке сотрудника.
staff-password-generated = Созданный пароль
staff-created-permissions = Настроить права
staff-created-done = Готово, к списку сотрудников

## Field errors of this area, by the use cases' code
error-avatar-too-large = Изображение больше допустимых 64 КБ.
error-avatar-wrong-type = Принимаются только изображения PNG, JPEG или GIF.
error-avatar-damaged = Изображение обрезано или повреждено. Сохраните его заново и загрузите файл целиком.
error-avatar-too-many-pixels = Изображение больше допустимых 80×80 пикселей.
error-unknown-department = Одного из отделов больше нет. Обновите форму.
error-unknown-time-zone = Неизвестный часовой пояс. Укажите название вроде Europe/Moscow или UTC.
error-invalid-day = Неизвестный день недели.
error-duplicate-day = День указан дважды.
error-closes-before-opening = В рабочий день время окончания должно быть позже времени начала.
error-invalid-time = Укажите время начала и окончания каждого рабочего дня в виде ЧЧ:ММ.
error-not-a-staff-function = Эту функцию нельзя дать сотруднику.

## Refusals and conflicts of this area, by code
error-cannot-grant-unheld-function = Нельзя давать или отнимать функции, которых нет у вас самих.
error-full-access-required = Давать полный доступ и изменять учётные записи с полным доступом может только сотрудник с полным доступом.
error-last-full-access-account = Это последняя активная учётная запись с полным доступом; она должна остаться включённой и с полным доступом.
error-cannot-delete-yourself = Нельзя удалить свою учётную запись.
error-cannot-disable-yourself = Нельзя отключить свою учётную запись.
error-inherited-right = Это право получено от отдела, и отнять его у одного сотрудника нельзя. Измените права отдела или отделы сотрудника.
error-department-name-taken = Отдел с таким названием уже есть.
error-full-access-has-every-function = У сотрудника полный доступ, личные права к нему не применяются.

## Clients → Clients (staff side)
clientlist-title = Клиенты
clientlist-intro = Откройте клиента, чтобы увидеть его карточку или заказы.
clientlist-search = Поиск
clientlist-search-placeholder = Имя, e-mail, логин или #номер
clientlist-empty = Клиентов пока нет.
clientlist-col-number = №
clientlist-col-name = Клиент
clientlist-col-status = Состояние
clientlist-col-registered = Зарегистрирован
clientlist-status-active = Активен
clientlist-status-inactive = Не активен

## A client's orders (seed 000)
orders-title = Заказы
orders-intro = История заказов клиента { $client }
orders-create = Создать заказ
orders-col-id = Заказ
orders-col-date = Дата и время
orders-col-provider = Провайдер
orders-col-status = Состояние
orders-empty = У клиента пока нет заказов.
order-new-title = Новый заказ
order-new-intro = Оформление заказа для клиента { $client }
order-steps = Шаги заказа
order-step-provider = 1. Провайдер
order-step-tariff = 2. Тариф
order-step-confirm = 3. Подтверждение
order-field-provider = Выберите провайдера
order-no-providers = Клиент ещё не подключён ни к одному провайдеру, поэтому заказать для него ничего нельзя.
order-back = К заказам
order-rights-hint = Заказ оформляется с правами клиента: недоступные клиенту тарифы останутся недоступными. Оплачивает заказ сам клиент.
order-providers-need-card = Провайдеры клиента показываются в карточке клиента, для которой нужно право «Список клиентов и карточка клиента». Попросите администратора его выдать.
order-next = Далее
order-choose-provider = Выберите одного из провайдеров клиента.
order-catalogue-notice = Провайдер выбран. Выбор тарифа появится вместе с каталогом услуг; ничего не заказано.
error-target-has-more-rights = У этого сотрудника есть права, которых нет у вас; сменить ему пароль, отключить или удалить его может только тот, у кого есть все эти права.
clientlist-new = Добавить клиента
