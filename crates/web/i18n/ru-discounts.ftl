## Персональные скидки и акции с условиями и промокодами (задача 11).

error-promo-code-taken = Такой промокод уже есть.

object-client-discount = Персональная скидка
object-promotion = Акция

field-discount = Скидка
field-starts-on = Действует с
field-ends-on = Действует по
field-title-en = Название (английское)
field-title-ru = Название (русское)
field-condition = Условие
field-promo-code = Промокод

card-tab-discounts = Скидки

discount-title = Персональные скидки
discount-lead = Скидки, назначенные этому клиенту вручную.
discount-intro = Персональная скидка важнее акций: если она действует на товар, акции к нему не применяются. Две скидки клиента не могут действовать на один товар в один день на одном уровне (всё, тип продукта, тариф).
discount-add = Добавить скидку
discount-new-title = Новая персональная скидка
discount-edit-title = Изменение персональной скидки
discount-create = Добавить скидку
discount-empty = У клиента нет персональных скидок.
discount-col-amount = Скидка
discount-col-scope = На что
discount-col-valid = Срок
discount-col-comment = Комментарий
discount-always = Всегда
discount-open = без границы
discount-scope-all = Все товары
discount-scope-product-types = Выбранные типы продуктов
discount-scope-tariffs = Выбранные тарифы
discount-scope-types-of = Типы продуктов: { $names }
discount-scope-plans-of = Тарифы: { $names }
discount-kind-percent = Процент
discount-kind-fixed = Фиксированная сумма
discount-field-kind = Вид
discount-field-percent = Процент
discount-percent-hint = Для процента: больше 0 и не больше 100, например 15 или 12.5.
discount-field-amount = Сумма
discount-amount-hint = Для фиксированной суммы: вычитается из цены, например 5.00.
discount-field-currency = Валюта суммы
discount-field-scope = На что
discount-field-product-types = Типы продуктов
discount-field-tariffs = Тарифы
discount-targets-hint = Отметьте, на что действует скидка (вместе с соответствующим выбором «На что»).
discount-field-starts-on = Первый день
discount-starts-hint = Пусто: с этого момента.
discount-field-ends-on = Последний день
discount-ends-hint = Пусто: бессрочно.
discount-field-comment = Комментарий
discount-delete-title = Удалить скидку { $amount }?
discount-delete-text = Клиент будет платить обычную цену (или цену по акции). Скидка останется в истории клиента.

promotion-title = Акции
promotion-lead = Скидки провайдера для всех, кто выполняет условия.
promotion-intro = Акция применяется, когда выполнены её условия и у клиента нет персональной скидки на товар.
promotion-add = Добавить акцию
promotion-new-title = Новая акция
promotion-create = Добавить акцию
promotion-delete = Удалить акцию
promotion-back = Все акции
promotion-empty = Акций пока нет.
promotion-off-tag = выключена
promotion-col-name = Акция
promotion-col-provider = Провайдер
promotion-col-discount = Скидка
promotion-col-valid = Срок
promotion-col-conditions = Условия
promotion-col-codes = Промокоды
promotion-groups-count = { $count ->
    [0] Для всех
    [one] { $count } группа
    [few] { $count } группы
   *[other] { $count } групп
}
promotion-field-name = Внутреннее название
promotion-name-hint = Видно только сотрудникам; уникально.
promotion-field-title-en = Название для клиентов (английское)
promotion-field-title-ru = Название для клиентов (русское)
promotion-field-provider = Провайдер
promotion-field-active = Активна
promotion-conditions = Условия
promotion-groups-rule = Условия объединяются в нумерованные группы. Внутри группы достаточно любого одного условия; из разных групп нужно по одному условию из каждой. Акция без условий — для всех.
promotion-no-conditions = Условий нет: акция для всех.
promotion-col-group = Группа
promotion-col-kind = Условие
promotion-col-value = Значение
promotion-group-n = Группа { $n }
promotion-condition-add = Добавить условие
promotion-condition-hint = Выберите группу, вид условия и его значение в соответствующем списке.
promotion-field-group = Номер группы
promotion-group-hint = От 1 до 100. Один номер — для альтернатив, новый номер — для ещё одного требования.
promotion-field-condition-kind = Условие
promotion-kind-client-group = Группа клиентов
promotion-kind-tariff = Тариф
promotion-kind-product-type = Тип продукта
promotion-kind-period = Период
promotion-kind-first-order = Первый заказ
promotion-kind-promo-code = Введён промокод
promotion-codes = Промокоды
promotion-codes-rule = Одноразовый код действует один раз; многоразовый — до лимита или без него.
promotion-no-codes = Промокодов нет.
promotion-col-code = Код
promotion-col-use = Использование
promotion-col-used = Использован
promotion-col-usable = Действует
promotion-single-use = Одноразовый
promotion-multi-use-unlimited = Многоразовый, без лимита
promotion-multi-use-limit = Многоразовый, до { $limit }
promotion-codes-add = Добавить коды
promotion-field-code = Код
promotion-code-hint = Латинские буквы, цифры, - и _; хранится заглавными. Оставьте пустым, чтобы сгенерировать коды.
promotion-field-count = Сколько сгенерировать
promotion-count-hint = От 1 до 1000 случайных кодов.
promotion-field-multi-use = Многоразовый
promotion-field-usage-limit = Лимит использований
promotion-limit-hint = Только для многоразовых кодов; пусто — без лимита.
