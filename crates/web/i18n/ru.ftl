# Панели Bursar: русский. Каждый идентификатор должен быть и в en.ftl (это проверяет
# модульный тест).

product-name = Bursar
area-admin = Панель сотрудника
area-client = Личный кабинет
footer-text = Биллинг Bursar · время в UTC
nav-label = Главное меню
language-switch = Язык интерфейса
language-en = English
language-ru = Русский
language-name-en = Английский
language-name-ru = Русский
action-sign-out = Выйти
skip-to-content = Перейти к содержанию
quick-search-label = Найти клиента
quick-search-placeholder = Клиент: #номер, имя, e-mail
quick-search-hint = Номер клиента открывает его карточку; всё остальное ищется в списке клиентов.
quick-search-submit = Найти
nav-menu-button = Меню
required-note = Поля, отмеченные *, обязательны.
required-mark = обязательное поле
error-summary-title = Форма не сохранена. Исправьте:
time-placeholder = ЧЧ:ММ
time-format-hint = 24-часовой формат, ЧЧ:ММ (например, 09:00 или 18:30)
action-cancel = Отмена
value-none = не указан
value-never = никогда

## Вход
login-title-admin = Вход в панель сотрудника
login-title-client = Вход в личный кабинет
login-intro-admin = Для сотрудников провайдера.
login-intro-client = Управляйте учётной записью, услугами и платежами.
login-field-login = Логин или e-mail
login-field-password = Пароль
login-submit = Войти
error-invalid-credentials = Неверный логин или пароль. Проверьте их и попробуйте снова.
error-account-disabled = Эта учётная запись отключена. Обратитесь в поддержку провайдера.
error-rate-limited = Слишком много неудачных попыток. Повторите через { $seconds } { $seconds ->
        [one] секунду
        [few] секунды
       *[many] секунд
    }.
login-other-admin = Вы клиент?
login-other-admin-link = Войти в личный кабинет
login-other-client = Работаете у провайдера?
login-other-client-link = Войти в панель сотрудника

## Главная
dashboard-title = Главная
dashboard-welcome = Добро пожаловать, { $name }
dashboard-lead-admin = Ваше рабочее место в Bursar: учётная запись, последние события и быстрые ссылки.
dashboard-lead-client = Ваш личный кабинет: учётная запись, последние события и быстрые ссылки.
dashboard-account = Ваша учётная запись
dashboard-open-profile = Открыть профиль
dashboard-shortcuts = Быстрые ссылки
dashboard-recent = Последние события
dashboard-recent-all = Все события
dashboard-recent-empty = С вашей учётной записью пока ничего не происходило.
link-profile = Мой профиль
link-profile-hint = Данные учётной записи и пароль
link-tokens = API-токены
link-tokens-hint = Ключи для скриптов и интеграций
link-history = История всех записей
link-history-hint = Кто, что и когда изменил
link-api-docs = Документация API
link-api-docs-hint = Все операции JSON API

## Учётная запись
account-name = Имя
account-login = Логин
account-email = E-mail
account-role = Роль
account-language = Язык
account-since = Учётная запись создана
role-administrator = Администратор (полный доступ)
role-employee = Сотрудник
role-client-main = Основной пользователь клиента
role-client-user = Пользователь клиента

## Профиль
profile-title = Мой профиль
profile-tabs-label = Разделы профиля
profile-tab-account = Учётная запись
profile-tab-tokens = API-токены
profile-tab-history = История
profile-details = Данные учётной записи
profile-password-changed = Пароль изменён. Другие ваши сеансы завершены.
password-title = Смена пароля
password-rule = Не менее 10 символов, хотя бы одна буква и одна цифра; пароль не должен совпадать с логином. Другие ваши сеансы будут завершены.
password-current = Текущий пароль
password-new = Новый пароль
password-confirm = Новый пароль ещё раз
password-submit = Сменить пароль
profile-history-title = История моей учётной записи
profile-history-intro = Изменения вашей учётной записи и ваши действия, сначала новые.
profile-history-empty = С вашей учётной записью пока ничего не происходило.

## API-токены
tokens-title = API-токены
tokens-intro = Токен позволяет скрипту работать с API от вашего имени: передавайте его в заголовке «Authorization: Bearer …». Он может не больше, чем вы.
tokens-new = Новый токен
tokens-empty = У вас пока нет API-токенов.
tokens-col-name = Название
tokens-col-prefix = Начинается с
tokens-col-scope = Разрешённые функции
tokens-col-created = Создан
tokens-col-last-used = Использован
tokens-col-expires = Истекает
tokens-col-status = Состояние
tokens-revoke = Отозвать
token-revoked = Токен отозван и больше не действует.
token-scope-all = Все мои функции
token-status-active = Действует
token-status-expired = Истёк
token-status-revoked = Отозван { $when }
token-new-title = Новый API-токен
token-field-name = Название
token-field-name-example = например, Скрипт мониторинга
token-field-expires = Срок действия (дней)
token-field-expires-hint = От 1 до 3650 дней. Оставьте пустым для бессрочного токена.
token-field-scope = Разрешённые функции
token-field-scope-hint = Отметьте функции, которые доступны токену. Если не отмечено ничего, токену доступно всё, что можете вы, сейчас и в будущем.
token-create = Создать токен
token-created = Токен создан.
token-created-title = Токен «{ $name }»
token-created-warning = Скопируйте секрет сейчас. Он показывается только один раз и не восстанавливается; если он потерян, отзовите токен и создайте новый.
token-created-secret = Секрет
token-created-usage = Передавайте его с каждым запросом к API в этом заголовке:
token-created-done = Готово, к моим токенам

## История
history-title = История
history-intro = Все изменения всех записей: кто, когда, откуда и что изменил.
history-filter-kind = Тип записи
history-filter-id = Идентификатор записи
history-filter-id-placeholder = Полный идентификатор записи
history-filter-apply = Найти
history-filter-reset = Сбросить
history-kind-any = Любой тип
history-empty = История пока пуста.
history-empty-filtered = Нет записей, подходящих под фильтр.
history-col-when = Когда
history-col-actor = Кто
history-col-object = Запись
history-col-action = Действие
history-col-changes = Изменения
history-actor-system = Система
history-actor-staff = Сотрудник провайдера
history-actor-deleted = Удалённая учётная запись
history-actor-as-client = { $login } от имени клиента
error-own-password-in-profile = Свой пароль меняется в профиле: там нужно ввести текущий.
history-change-secret = { $field }: изменено
object-user = Пользователь
object-client = Клиент
object-api-token = API-токен
action-create = Создание
action-update = Изменение
action-change-password = Смена пароля
action-reset-password = Сброс пароля
action-request-password-reset = Запрошена ссылка для сброса пароля
action-revoke = Отзыв
pager-label = Страницы
pager-summary = { $first }–{ $last } из { $total }
pager-prev = Назад
pager-next = Вперёд

## Ошибки полей, по коду из домена
error-invalid = Недопустимое значение.
error-required = Обязательное поле.
error-too-short = Слишком коротко.
error-too-long = Слишком длинно.
error-invalid-login = Допустимы только латинские буквы, цифры и . _ - @ +
error-invalid-email = Это не адрес электронной почты.
error-invalid-characters = Содержит недопустимые символы.
error-weak-password = Слишком простой пароль: нужно от 10 до 128 символов, хотя бы одна буква и одна цифра, и он не должен совпадать с логином.
error-mismatch = Не совпадает с новым паролем.
error-wrong-password = Это не ваш текущий пароль.
error-out-of-range = Вне допустимого диапазона.
error-unknown-function = Содержит неизвестную функцию.
error-function-not-held = Содержит функцию, которой у вас нет.
error-not-a-number = Введите целое число.
error-malformed = Не удалось прочитать форму.
error-body-not-object = Тело запроса должно быть JSON-объектом с именованными полями, а не массивом или отдельным значением.

## Страницы ошибок
error-action-home = На мою главную
error-action-sign-in = Войти
error-action-reload = Вернуться к форме
error-invalid-title = Проверьте форму
error-validation-failed = Некоторые значения не приняты.
error-unauthenticated-title = Войдите в систему
error-unauthenticated = Ваш сеанс завершён. Войдите, чтобы продолжить.
error-forbidden-title = Доступ запрещён
error-forbidden = У вас нет права на функцию «{ $function }» ({ $key }). Попросите администратора выдать его.
error-not-found-title = Страница не найдена
error-not-found = По этому адресу ничего нет, или это не ваше.
error-conflict-title = Невозможно
error-conflict = Изменение противоречит текущему состоянию записи.
error-login-taken = Этот логин уже занят.
error-email-taken = Этот e-mail уже занят.
error-rate-limited-title = Слишком много попыток
error-busy-title = Сервис занят
error-busy = Сервис сейчас занят. Повторите через минуту.
error-internal-title = Что-то пошло не так
error-internal-error = На нашей стороне произошла ошибка, она записана в журнал. Повторите позже.
error-csrf-title = Форма устарела
error-csrf-token-invalid = Эта форма устарела или была открыта в другом сеансе. Обновите страницу и попробуйте снова.
error-too-large-title = Слишком большой объём
error-payload-too-large = Отправленные данные больше { $limit } — это предел для этой формы. Сократите текст или выберите файл поменьше и отправьте снова.
error-bad-address-title = Адрес не удаётся прочитать
error-invalid-path = В адресе есть символы, которые не являются текстом. Проверьте ссылку или начните заново со своей главной страницы.
error-bad-form-title = Форма содержит недопустимые символы
error-malformed-form = В некоторых полях есть символы, которые не являются текстом, поэтому ничего не сохранено. Вернитесь к форме, введите эти значения заново и отправьте её.
error-bad-request-title = Запрос не удаётся прочитать
error-bad-request = Браузер отправил запрос, который эта страница не может прочитать, поэтому ничего не сделано. Вернитесь и попробуйте снова.
error-nul-address-title = Этот адрес нельзя использовать
error-nul-address-text = В адресе есть нулевой символ (%00), которого не может быть ни в каком тексте, поэтому ничего не сделано. Проверьте ссылку или введённый фильтр либо начните заново со своей главной страницы.
error-nul-form-title = Форма содержит нулевой символ
error-nul-form-text = В одном из полей есть нулевой символ (U+0000) — невидимый символ, которого не может быть ни в каком тексте, поэтому ничего не сохранено. Вернитесь к форме, введите это значение заново и отправьте её.

## Refusals of a request or a field that have no page of their own above, by code
error-nul-byte = Не должно содержать нулевой символ (U+0000).
error-not-ready = Сервис запускается или не может связаться с базой данных. Повторите попытку чуть позже.
error-unsupported-media-type = Этот тип содержимого здесь не принимается.
error-invalid-body = Тело запроса не соответствует ожидаемому формату.
error-malformed-json = Тело запроса не является корректным JSON.
error-unreadable-body = Не удалось прочитать тело запроса.
error-invalid-query = Параметры адреса недопустимы.
error-invalid-filter = Такого значения фильтра нет среди предложенных.
error-invalid-id = Неверный идентификатор.
error-unknown-client = Клиента с таким номером нет.
error-record-changed = Запись, на которую ссылается изменение, тем временем была удалена. Обновите страницу и повторите попытку.
error-scope-required = Токен с ограниченной областью действия может выпускать токены только в её пределах.
error-unknown-language = Такой язык не поддерживается.
error-avatar-refused = Изображение не принято.
size-kb = { $n } КБ
size-mb = { $n } МБ

## Forgotten password
pwreset-link = Забыли пароль?
pwreset-title = Сброс пароля
pwreset-intro = Введите логин или e-mail. Если такая учётная запись есть и у неё указан e-mail, мы пришлём ссылку для выбора нового пароля. Ссылка действует 30 минут.
pwreset-submit = Отправить ссылку
pwreset-sent = Если такая учётная запись есть, ссылка для выбора нового пароля уже в пути. Проверьте почту, в том числе папку «Спам».
pwreset-back = Вернуться ко входу
pwreset-new-title = Новый пароль
pwreset-new-intro = Не короче 10 символов, с буквой и цифрой. Все сеансы учётной записи будут завершены.
pwreset-field-password = Новый пароль
pwreset-field-confirmation = Повторите новый пароль
pwreset-new-submit = Сохранить пароль
pwreset-ask-again = Запросить новую ссылку
pwreset-done = Пароль изменён. Войдите с новым паролем.
error-reset-link-invalid = Ссылка неизвестна, уже использована или устарела. Запросите новую.
error-method-title = Не так
error-method-not-allowed = Этот адрес не открывается напрямую: это адрес кнопки или формы. Вернитесь назад и нажмите кнопку или начните со стартовой страницы.
