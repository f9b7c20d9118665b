// The words of tasks on a person (the card's Tasks section and its form). Russian after the seed
// (shared/seed/chats-ru.txt: «Задачи», «Важное»).
import { defineWords } from '../../lib/i18n';

const en = {
  'tasks.title': 'Tasks',
  'tasks.none': 'No tasks',
  'tasks.add': 'Add task',
  'tasks.new': 'New task',
  'tasks.edit': 'Edit task',
  'tasks.name': 'What to do',
  'tasks.date': 'Due date',
  'tasks.time': 'Time',
  'tasks.assignee': 'Assignee',
  'tasks.me': 'Me ({name})',
  'tasks.save': 'Save',
  'tasks.cancel': 'Cancel',
  'tasks.complete': 'Complete “{title}”',
  'tasks.reopen': 'Mark “{title}” not done',
  'tasks.editOne': 'Edit',
  'tasks.delete': 'Delete',
  'tasks.deleteConfirm': 'Delete the task “{title}”?',
  'tasks.due': 'due {date}',
  'tasks.overdue': 'overdue since {date}',
  'tasks.doneAt': 'done {date}',
  'tasks.for': 'for {name}',
  'tasks.doneToggle': 'Done ({count})',
} as const;

export type TasksKey = keyof typeof en;

const ru: Record<TasksKey, string> = {
  'tasks.title': 'Задачи',
  'tasks.none': 'Задач нет',
  'tasks.add': 'Добавить задачу',
  'tasks.new': 'Новая задача',
  'tasks.edit': 'Изменить задачу',
  'tasks.name': 'Что сделать',
  'tasks.date': 'Срок',
  'tasks.time': 'Время',
  'tasks.assignee': 'Исполнитель',
  'tasks.me': 'Я ({name})',
  'tasks.save': 'Сохранить',
  'tasks.cancel': 'Отмена',
  'tasks.complete': 'Выполнить «{title}»',
  'tasks.reopen': 'Вернуть «{title}» в работу',
  'tasks.editOne': 'Изменить',
  'tasks.delete': 'Удалить',
  'tasks.deleteConfirm': 'Удалить задачу «{title}»?',
  'tasks.due': 'срок {date}',
  'tasks.overdue': 'просрочена с {date}',
  'tasks.doneAt': 'выполнена {date}',
  'tasks.for': 'для {name}',
  'tasks.doneToggle': 'Выполненные ({count})',
};

export const tasksWords = defineWords('tasks', en, ru);
